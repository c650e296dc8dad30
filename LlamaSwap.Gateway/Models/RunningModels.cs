using System.Text.Json.Serialization;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Gateway.Models;

/// <summary><c>GET /running</c>: every model with a live process (reference section 2.3).</summary>
internal static class RunningModels
{
    public static RunningList Build(IEnumerable<ModelStateRecord> states)
        => new(states
            .Where(s => s.State is not (ModelStates.Stopped or ModelStates.Shutdown))
            .OrderBy(s => s.Model, StringComparer.Ordinal)
            .Select(s => new RunningEntry(s.Model, s.State, s.Cmd, s.Proxy, s.Ttl, s.Name ?? "", s.Description ?? "")
            {
                Progress = s.State == ModelStates.Starting ? s.Progress : null,
            })
            .ToList());
}

internal sealed record RunningList([property: JsonPropertyName("running")] IReadOnlyList<RunningEntry> Running);

internal sealed record RunningEntry(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("cmd")] string Cmd,
    [property: JsonPropertyName("proxy")] string Proxy,
    [property: JsonPropertyName("ttl")] int Ttl,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description)
{
    /// <summary>Load progress while starting (see <see cref="ModelStateRecord.Progress"/>); absent otherwise.</summary>
    [JsonPropertyName("progress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoadProgress? Progress { get; init; }
}
