using System.Text.Json;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// Usage figures gathered across a body's JSON documents (one, or every SSE event). Later reports
/// win, but a zero never hides an earlier count: Anthropic's message_start says output 0 or 1 and
/// message_delta the real number, and some streams repeat usage with zeros.
/// </summary>
internal sealed class UsageAccumulator
{
    private long? _input;
    private long? _output;
    private long? _cache;
    private long? _draft;
    private long? _draftAccepted;
    private double? _promptPerSecond;
    private double? _tokensPerSecond;
    private double? _llamaMs;
    private bool _fromTimings;

    public void AddUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object || _fromTimings)
        {
            return;
        }

        Set(ref _input, Long(usage, "prompt_tokens") ?? Long(usage, "input_tokens"));
        Set(ref _output, Long(usage, "completion_tokens") ?? Long(usage, "output_tokens"));
        Set(ref _cache, Long(usage, "cache_read_input_tokens")
                        ?? Nested(usage, "input_tokens_details", "cached_tokens")
                        ?? Nested(usage, "prompt_tokens_details", "cached_tokens"));
    }

    /// <summary>llama.cpp's own counts and speeds replace whatever <c>usage</c> said.</summary>
    public void AddTimings(JsonElement timings)
    {
        if (timings.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        _fromTimings = true;
        _input = Long(timings, "prompt_n") ?? _input;
        _output = Long(timings, "predicted_n") ?? _output;
        _cache = Long(timings, "cache_n") ?? _cache;
        _draft = Long(timings, "draft_n") ?? _draft;
        _draftAccepted = Long(timings, "draft_n_accepted") ?? _draftAccepted;
        _promptPerSecond = Double(timings, "prompt_per_second") ?? _promptPerSecond;
        _tokensPerSecond = Double(timings, "predicted_per_second") ?? _tokensPerSecond;
        var promptMs = Double(timings, "prompt_ms");
        var predictedMs = Double(timings, "predicted_ms");
        if (promptMs is not null || predictedMs is not null)
        {
            _llamaMs = (promptMs ?? 0) + (predictedMs ?? 0);
        }
    }

    /// <summary>vLLM's per-request <c>metrics</c>: time to first token, inter-token latency, speculative decoding.</summary>
    public void AddVllmMetrics(JsonElement metrics)
    {
        if (metrics.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (Double(metrics, "time_to_first_token_ms") is > 0 and var ttft && _input is > 0)
        {
            _promptPerSecond = _input.Value / (ttft / 1000);
        }

        if (Double(metrics, "mean_itl_ms") is > 0 and var itl)
        {
            _tokensPerSecond = 1000 / itl;
        }

        if (metrics.TryGetProperty("speculative_decoding", out var speculative) && speculative.ValueKind == JsonValueKind.Object)
        {
            _draft = Long(speculative, "num_draft_tokens") ?? _draft;
            // vLLM's name (and llama-swap's since #1039); older builds said num_accepted_tokens.
            _draftAccepted = Long(speculative, "num_accepted_draft_tokens") ?? Long(speculative, "num_accepted_tokens") ?? _draftAccepted;
        }
    }

    public UsageResult ToResult(double wallMs)
    {
        var duration = _llamaMs is { } llamaMs ? Math.Max(wallMs, llamaMs) : wallMs;
        var tokensPerSecond = _tokensPerSecond
                              ?? (_output is > 0 && duration > 0 ? _output.Value / (duration / 1000) : -1);
        var tokens = new ActivityTokens
        {
            InputTokens = _input ?? -1,
            OutputTokens = _output ?? -1,
            CacheTokens = _cache ?? -1,
            DraftTokens = _draft ?? -1,
            DraftAcceptedTokens = _draftAccepted ?? -1,
            PromptPerSecond = _promptPerSecond ?? -1,
            TokensPerSecond = tokensPerSecond,
        };
        return new UsageResult(tokens, duration, null);
    }

    private static void Set(ref long? field, long? value)
    {
        if (value is { } v && (v > 0 || field is null))
        {
            field = v;
        }
    }

    private static long? Long(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var n) ? n : (long)value.GetDouble()
            : null;

    private static double? Double(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static long? Nested(JsonElement obj, string outer, string inner)
        => obj.TryGetProperty(outer, out var details) && details.ValueKind == JsonValueKind.Object ? Long(details, inner) : null;
}
