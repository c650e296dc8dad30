using System.Text.Json.Serialization;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Models;

namespace LlamaSwap.Gateway.Events;

/// <summary>One element of the <c>modelStatus</c> payload (reference 2.4).</summary>
internal sealed record ModelStatusEntry
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    [JsonPropertyName("state")]
    public string State { get; init; } = "";

    [JsonPropertyName("unlisted")]
    public bool Unlisted { get; init; }

    [JsonPropertyName("peerID")]
    public string PeerId { get; init; } = "";

    [JsonPropertyName("aliases")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Aliases { get; init; }

    [JsonPropertyName("capabilities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, bool>? Capabilities { get; init; }

    [JsonPropertyName("context_length")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ContextLength { get; init; }

    /// <summary>How far the model files have loaded while <c>starting</c> (absent otherwise, or when it cannot be measured).</summary>
    [JsonPropertyName("progress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoadProgress? Progress { get; init; }

    /// <summary>Local models sorted by ID with their state (stopped when never reported), then peer models by FQN.</summary>
    public static List<ModelStatusEntry> Build(LlamaSwapConfig config, IReadOnlyDictionary<string, ModelStateRecord> states)
    {
        var entries = new List<ModelStatusEntry>(config.Models.Count + config.Peers.Models.Count);
        foreach (var model in config.Models.Values.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            var rendered = CapabilityRendering.Apply(
                new ModelListEntry { Id = model.Id, Created = 0, Status = new ModelStatus("") }, model.Capabilities);
            entries.Add(new ModelStatusEntry
            {
                Id = model.Id,
                Name = model.Name?.Trim() ?? "",
                Description = model.Description?.Trim() ?? "",
                State = states.TryGetValue(model.Id, out var record) ? record.State : ModelStates.Stopped,
                Progress = record?.State == ModelStates.Starting ? record.Progress : null,
                Unlisted = model.Unlisted,
                Aliases = model.Aliases.Count > 0 ? model.Aliases : null,
                Capabilities = rendered.Capabilities,
                ContextLength = rendered.ContextLength,
            });
        }

        foreach (var peerModel in config.Peers.Models.OrderBy(p => p.Fqn, StringComparer.Ordinal))
        {
            entries.Add(new ModelStatusEntry { Id = peerModel.Fqn, Name = peerModel.ModelId, PeerId = peerModel.Peer.Id });
        }

        return entries;
    }
}
