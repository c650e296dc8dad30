using System.Diagnostics.Metrics;

namespace LlamaSwap.Gateway.Usage;

/// <summary>
/// Per-key usage counters (meter <c>LlamaSwap.Gateway.Usage</c>), by <c>key</c> and <c>model</c>:
/// <c>llamaswap_key_requests_total</c>, <c>llamaswap_key_tokens_input_total</c>,
/// <c>llamaswap_key_tokens_output_total</c> at <c>/metrics</c>.
/// </summary>
internal sealed class UsageMetrics
{
    public const string MeterName = "LlamaSwap.Gateway.Usage";

    public UsageMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Requests = meter.CreateCounter<long>("llamaswap.key.requests", "{request}", "Model requests, by API key name and model.");
        InputTokens = meter.CreateCounter<long>("llamaswap.key.tokens.input", "{token}", "Prompt tokens, by API key name and model.");
        OutputTokens = meter.CreateCounter<long>("llamaswap.key.tokens.output", "{token}", "Generated tokens, by API key name and model.");
    }

    public Counter<long> Requests { get; }

    public Counter<long> InputTokens { get; }

    public Counter<long> OutputTokens { get; }
}
