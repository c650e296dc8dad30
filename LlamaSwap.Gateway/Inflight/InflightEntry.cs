using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// One in-flight request as llama-swap shows it (reference 2.4): header maps keep the first value,
/// sensitive headers read <c>[REDACTED]</c>, and the id is the decimal counter as a string.
/// </summary>
internal sealed record InflightEntry
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("timestamp")]
    public DateTimeOffset Timestamp { get; init; }

    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    [JsonPropertyName("req_path")]
    public string RequestPath { get; init; } = "";

    [JsonPropertyName("method")]
    public string Method { get; init; } = "";

    [JsonPropertyName("req_headers")]
    public IReadOnlyDictionary<string, string> RequestHeaders { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("remote_ip")]
    public string RemoteIp { get; init; } = "";

    [JsonPropertyName("resp_headers")]
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("resp_bytes")]
    public long ResponseBytes { get; init; }

    [JsonPropertyName("elapsed_ms")]
    public long ElapsedMs { get; init; }
}
