using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Activity;

/// <summary>A stored request/response pair (reference 2.4.3); bodies serialize as base64, missing parts as null.</summary>
internal sealed record Capture
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("req_path")]
    public string RequestPath { get; init; } = "";

    [JsonPropertyName("req_headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyDictionary<string, string>? RequestHeaders { get; init; }

    [JsonPropertyName("req_body")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public byte[]? RequestBody { get; init; }

    [JsonPropertyName("resp_headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyDictionary<string, string>? ResponseHeaders { get; init; }

    [JsonPropertyName("resp_body")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public byte[]? ResponseBody { get; init; }

    /// <summary>What the capture costs the buffer: bodies plus header text.</summary>
    [JsonIgnore]
    public long Size => (RequestBody?.Length ?? 0) + (ResponseBody?.Length ?? 0) + HeaderBytes(RequestHeaders) + HeaderBytes(ResponseHeaders);

    private static long HeaderBytes(IReadOnlyDictionary<string, string>? headers)
        => headers?.Sum(h => (long)h.Key.Length + h.Value.Length + 4) ?? 0;
}
