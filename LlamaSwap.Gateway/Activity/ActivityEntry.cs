using System.Text.Json.Serialization;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// One recorded model request (reference 2.4.2), serialized exactly as llama-swap's activity rows.
/// Unknown numbers are -1.
/// </summary>
internal sealed record ActivityEntry
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("timestamp")]
    public DateTimeOffset Timestamp { get; init; }

    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    [JsonPropertyName("req_path")]
    public string RequestPath { get; init; } = "";

    [JsonPropertyName("resp_content_type")]
    public string ResponseContentType { get; init; } = "";

    [JsonPropertyName("resp_status_code")]
    public int ResponseStatusCode { get; init; }

    [JsonPropertyName("tokens")]
    public ActivityTokens Tokens { get; init; } = ActivityTokens.Unknown;

    [JsonPropertyName("duration_ms")]
    public long DurationMs { get; init; }

    [JsonPropertyName("has_capture")]
    public bool HasCapture { get; init; }

    [JsonPropertyName("error_msg")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorMessage { get; init; }

    [JsonPropertyName("metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>LlamaSwap addition: whether the response was an SSE stream.</summary>
    [JsonPropertyName("streaming")]
    public bool Streaming { get; init; }

    /// <summary>LlamaSwap addition: ms from the request's arrival to the first response body byte (-1 when none).</summary>
    [JsonPropertyName("first_byte_ms")]
    public double FirstByteMs { get; init; } = -1;

    /// <summary>LlamaSwap addition: ms the request waited in the supervisor's queue (-1 when not dispatched locally).</summary>
    [JsonPropertyName("queue_wait_ms")]
    public double QueueWaitMs { get; init; } = -1;

    /// <summary>LlamaSwap addition: ms spent loading the model for this request (0 when it was ready, -1 when unknown).</summary>
    [JsonPropertyName("load_ms")]
    public double LoadMs { get; init; } = -1;

    /// <summary>The API key the auth proxy attributed the request to (Usage/UsageKeyName); not part of the row's JSON.</summary>
    [JsonIgnore]
    public string? KeyName { get; init; }
}

/// <summary>Token figures of one request; -1 means not reported by the upstream.</summary>
internal sealed record ActivityTokens
{
    public static readonly ActivityTokens Unknown = new();

    [JsonPropertyName("cache_tokens")]
    public long CacheTokens { get; init; } = -1;

    [JsonPropertyName("draft_tokens")]
    public long DraftTokens { get; init; } = -1;

    [JsonPropertyName("draft_acc_tokens")]
    public long DraftAcceptedTokens { get; init; } = -1;

    [JsonPropertyName("input_tokens")]
    public long InputTokens { get; init; } = -1;

    [JsonPropertyName("output_tokens")]
    public long OutputTokens { get; init; } = -1;

    [JsonPropertyName("prompt_per_second")]
    public double PromptPerSecond { get; init; } = -1;

    [JsonPropertyName("tokens_per_second")]
    public double TokensPerSecond { get; init; } = -1;
}
