using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Usage;

/// <summary>The answer of <c>GET /api/usage</c>.</summary>
/// <param name="Partial">True when Redis could not be read: only this gateway's not yet written figures are listed.</param>
internal sealed record UsageReport(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("usage")] IReadOnlyList<UsageRow> Usage,
    [property: JsonPropertyName("partial"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Partial = false);

internal sealed record UsageRow(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens);
