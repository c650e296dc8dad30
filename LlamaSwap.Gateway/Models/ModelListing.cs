using System.Text.Json.Serialization;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Gateway.Models;

/// <summary>The OpenAI-style model list of <c>GET /v1/models</c> (reference section 2.2).</summary>
internal static class ModelListing
{
    public static ModelList Build(LlamaSwapConfig config, IReadOnlyDictionary<string, ModelStateRecord>? states, long created)
    {
        var entries = new List<ModelListEntry>();
        foreach (var model in config.Models.Values)
        {
            if (model.Unlisted)
            {
                continue;
            }

            var status = new ModelStatus(
                states is not null && states.TryGetValue(model.Id, out var record) && ModelStateReader.IsLoaded(record.State) ? "loaded" : "unloaded");
            var name = Trimmed(model.Name);
            var description = Trimmed(model.Description);

            entries.Add(new ModelListEntry(model.Id, created, name, description,
                new ModelMeta(new LlamaSwapMeta("model", model.Aliases.Count > 0 ? model.Aliases : null, null)), status));

            if (config.IncludeAliasesInList)
            {
                foreach (var alias in model.Aliases)
                {
                    entries.Add(new ModelListEntry(alias, created, name, description,
                        new ModelMeta(new LlamaSwapMeta("alias", null, model.Id)), status));
                }
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new ModelList(entries);
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

internal sealed record ModelList([property: JsonPropertyName("data")] IReadOnlyList<ModelListEntry> Data)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

internal sealed record ModelListEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("meta")] ModelMeta Meta,
    [property: JsonPropertyName("status")] ModelStatus Status)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "model";

    [JsonPropertyName("owned_by")]
    [JsonPropertyOrder(-1)]
    public string OwnedBy => "llama-swap";
}

internal sealed record ModelMeta([property: JsonPropertyName("llamaswap")] LlamaSwapMeta LlamaSwap);

internal sealed record LlamaSwapMeta(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("aliases")] IReadOnlyList<string>? Aliases,
    [property: JsonPropertyName("modelID")] string? ModelId);

internal sealed record ModelStatus([property: JsonPropertyName("value")] string Value);
