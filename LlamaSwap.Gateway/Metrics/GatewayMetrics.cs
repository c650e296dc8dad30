using System.Diagnostics.Metrics;
using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Metrics;

/// <summary>
/// The gateway's model-request metrics (meter <c>LlamaSwap.Gateway</c>), exported by OTLP and at
/// <c>GET /metrics</c>. Per-request instruments are fed from activity rows
/// (<see cref="MetricsActivityListener"/>), off the request path; the gauges are read at collection.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "LlamaSwap.Gateway";

    // Seconds. Time to first token is short; queue wait and load can take minutes for big models.
    private static readonly double[] FirstTokenBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] WaitBuckets = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    public GatewayMetrics(IMeterFactory meters, InflightRequests inflight, LoadedModelsTracker loaded)
    {
        var meter = meters.Create(MeterName);
        Requests = meter.CreateCounter<long>("llamaswap.requests", "{request}", "Model requests, by model and response status code.");
        InputTokens = meter.CreateCounter<long>("llamaswap.tokens.input", "{token}", "Prompt tokens the upstreams reported, by model.");
        OutputTokens = meter.CreateCounter<long>("llamaswap.tokens.output", "{token}", "Generated tokens the upstreams reported, by model.");
        TimeToFirstToken = meter.CreateHistogram<double>(
            "llamaswap.time_to_first_token", "s", "From the request's arrival to the first response body byte.", tags: null, Buckets(FirstTokenBuckets));
        QueueWait = meter.CreateHistogram<double>(
            "llamaswap.queue_wait", "s", "Time a request waited in the supervisor's queue, excluding its model's load.", tags: null, Buckets(WaitBuckets));
        ModelLoad = meter.CreateHistogram<double>(
            "llamaswap.model_load", "s", "Time a request waited for its model to load (requests that caused or joined a load).", tags: null, Buckets(WaitBuckets));
        meter.CreateObservableGauge("llamaswap.models.loaded", () => loaded.LoadedCount, "{model}", "Models with a running process (starting, ready or stopping).");
        meter.CreateObservableGauge("llamaswap.requests.inflight", () => inflight.Count, "{request}", "Model requests this gateway is serving now.");
    }

    public Counter<long> Requests { get; }

    public Counter<long> InputTokens { get; }

    public Counter<long> OutputTokens { get; }

    public Histogram<double> TimeToFirstToken { get; }

    public Histogram<double> QueueWait { get; }

    public Histogram<double> ModelLoad { get; }

    private static InstrumentAdvice<double> Buckets(double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };
}
