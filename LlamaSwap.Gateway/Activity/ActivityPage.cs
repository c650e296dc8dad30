using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Activity;

/// <summary>One page of activity rows as <c>GET /api/metrics/activity</c> answers.</summary>
internal sealed record ActivityPage(
    [property: JsonPropertyName("data")] IReadOnlyList<ActivityEntry> Data,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("total_pages")] int TotalPages);
