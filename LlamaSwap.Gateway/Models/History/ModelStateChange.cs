using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Models.History;

/// <summary>One entry of <c>GET /api/models/history</c>: a model entered <see cref="State"/> at <see cref="Timestamp"/>.</summary>
internal sealed record ModelStateChange(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    /// <summary>On a <c>ready</c> entry that follows <c>starting</c>: the swap's cost, ms from starting to ready.</summary>
    [JsonPropertyName("load_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LoadMs { get; init; }
}
