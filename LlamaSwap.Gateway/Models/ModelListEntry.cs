using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Models;

/// <summary>The <c>GET /v1/models</c> body.</summary>
internal sealed record ModelList([property: JsonPropertyName("data")] IReadOnlyList<ModelListEntry> Data)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

/// <summary>One model, alias, ... record; null members are omitted from the JSON.</summary>
internal sealed record ModelListEntry
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("object")]
    public string Object => "model";

    [JsonPropertyName("created")]
    public required long Created { get; init; }

    [JsonPropertyName("owned_by")]
    public string OwnedBy => "llama-swap";

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("architecture")]
    public ModelArchitecture? Architecture { get; init; }

    /// <summary>Only the capabilities the model has, each <c>true</c>.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyDictionary<string, bool>? Capabilities { get; init; }

    [JsonPropertyName("supported_parameters")]
    public IReadOnlyList<string>? SupportedParameters { get; init; }

    [JsonPropertyName("context_length")]
    public int? ContextLength { get; init; }

    /// <summary><c>{"llamaswap": {...}, "n_ctx": N}</c>; built per response, never shared with the config.</summary>
    [JsonPropertyName("meta")]
    public JsonObject? Meta { get; init; }

    [JsonPropertyName("status")]
    public required ModelStatus Status { get; init; }
}

internal sealed record ModelArchitecture(
    [property: JsonPropertyName("input_modalities")] IReadOnlyList<string>? InputModalities,
    [property: JsonPropertyName("output_modalities")] IReadOnlyList<string>? OutputModalities,
    [property: JsonPropertyName("modality")] string? Modality);

internal sealed record ModelStatus([property: JsonPropertyName("value")] string Value);
