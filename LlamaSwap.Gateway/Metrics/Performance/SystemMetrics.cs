using System.Diagnostics.Metrics;

namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// The reference's system metrics (reference 2.3 <c>GET /metrics</c>), under the reference's exact
/// names, as observable instruments over <see cref="SystemStatsSampler.Latest"/>: a scrape reads
/// the last sample and never touches <c>/proc</c> itself. With no sample (performance disabled) the
/// callbacks report nothing and the metrics are absent from the scrape.
/// </summary>
/// <remarks>
/// With <c>performance.disabled</c> llama-swap answers <c>/metrics</c> with 503, because system
/// metrics are all it serves there. Ours also carries the per-model request, token and latency
/// metrics, which cost nothing to keep and which a scraper should not lose because someone turned
/// off the system monitor: so <c>/metrics</c> still answers 200 and only the system part is left out.
/// </remarks>
/// <remarks>The GPU gauges (<c>llamaswap_gpu_*</c>) are in <see cref="GpuMetrics"/>.</remarks>
internal sealed class SystemMetrics
{
    public const string MeterName = "LlamaSwap.Gateway.System";

    private static readonly KeyValuePair<string, object?> Received = new("direction", "recv");
    private static readonly KeyValuePair<string, object?> Transmitted = new("direction", "sent");

    private readonly SystemStatsSampler _sampler;

    public SystemMetrics(IMeterFactory meters, SystemStatsSampler sampler)
    {
        _sampler = sampler;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("llamaswap_cpu_util_percent", CpuPercent, "%", "CPU utilisation per core over the last sampling interval.");
        meter.CreateObservableGauge("llamaswap_memory_total_bytes", () => Memory(m => m.TotalBytes), "By", "Total memory.");
        meter.CreateObservableGauge("llamaswap_memory_used_bytes", () => Memory(m => m.UsedBytes), "By", "Memory in use (total minus available).");
        meter.CreateObservableGauge("llamaswap_memory_free_bytes", () => Memory(m => m.FreeBytes), "By", "Free memory.");
        meter.CreateObservableGauge("llamaswap_swap_total_bytes", () => Memory(m => m.SwapTotalBytes), "By", "Total swap.");
        meter.CreateObservableGauge("llamaswap_swap_used_bytes", () => Memory(m => m.SwapUsedBytes), "By", "Swap in use.");
        meter.CreateObservableGauge("llamaswap_load_average", LoadAverage, unit: null, "System load average.");
        meter.CreateObservableCounter("llamaswap_network_bytes", NetworkBytes, "By", "Bytes received (recv) and sent (sent) per network interface, as llama-swap labels them.");
    }

    private IEnumerable<Measurement<double>> CpuPercent()
        => _sampler.Latest is { } snapshot
            ? snapshot.CpuPercent.Select(c => new Measurement<double>(c.Percent, new KeyValuePair<string, object?>("core", c.Core)))
            : [];

    private IEnumerable<Measurement<long>> Memory(Func<MemoryStats, long> value)
        => _sampler.Latest is { } snapshot ? [new Measurement<long>(value(snapshot.Memory))] : [];

    private IEnumerable<Measurement<double>> LoadAverage()
        => _sampler.Latest is { LoadAverage: var load }
            ?
            [
                new(load.One, new KeyValuePair<string, object?>("interval", "1m")),
                new(load.Five, new KeyValuePair<string, object?>("interval", "5m")),
                new(load.Fifteen, new KeyValuePair<string, object?>("interval", "15m")),
            ]
            : [];

    private IEnumerable<Measurement<long>> NetworkBytes()
        => _sampler.Latest is { } snapshot
            ? snapshot.Network.SelectMany(n => new[]
            {
                new Measurement<long>(n.ReceivedBytes, new("interface", n.Interface), Received),
                new Measurement<long>(n.TransmittedBytes, new("interface", n.Interface), Transmitted),
            })
            : [];
}
