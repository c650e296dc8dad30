using System.Diagnostics.Metrics;
using System.Globalization;

namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// llama-swap's per-GPU gauges (reference 2.3 <c>GET /metrics</c>), labelled <c>id</c>, <c>name</c> and,
/// when the source has one, <c>uuid</c>, over the latest GPU round: a scrape never runs a GPU tool.
/// No GPU (or a failed round): no series. No unit is given, so the exporter keeps the names as they are.
/// </summary>
internal sealed class GpuMetrics
{
    private readonly PerformanceHistory _history;

    public GpuMetrics(IMeterFactory meters, PerformanceHistory history)
    {
        _history = history;
        var meter = meters.Create(SystemMetrics.MeterName);
        Gauge(meter, "llamaswap_gpu_temperature_celsius", "GPU temperature in Celsius.", g => g.TempC);
        Gauge(meter, "llamaswap_gpu_vram_temperature_celsius", "GPU memory temperature in Celsius.", g => g.VramTempC);
        Gauge(meter, "llamaswap_gpu_util_percent", "GPU utilisation (0-100).", g => g.GpuUtilPct);
        Gauge(meter, "llamaswap_gpu_memory_util_percent", "Share of GPU memory in use (0-100).", g => g.MemUtilPct);
        Gauge(meter, "llamaswap_gpu_memory_used_bytes", "GPU memory in use, in bytes.", g => g.MemUsedMb * 1024.0 * 1024.0);
        Gauge(meter, "llamaswap_gpu_memory_total_bytes", "GPU memory, in bytes.", g => g.MemTotalMb * 1024.0 * 1024.0);
        Gauge(meter, "llamaswap_gpu_fan_speed_percent", "GPU fan speed (0-100).", g => g.FanSpeedPct);
        Gauge(meter, "llamaswap_gpu_power_draw_watts", "GPU power draw in watts.", g => g.PowerDrawW);
    }

    private void Gauge(Meter meter, string name, string description, Func<GpuStat, double> value)
        => meter.CreateObservableGauge(name, () => _history.LatestGpus.Select(g => new Measurement<double>(value(g), Labels(g))), unit: null, description);

    private static KeyValuePair<string, object?>[] Labels(GpuStat gpu)
        => gpu.Uuid.Length > 0
            ? [new("id", gpu.Id.ToString(CultureInfo.InvariantCulture)), new("name", gpu.Name), new("uuid", gpu.Uuid)]
            : [new("id", gpu.Id.ToString(CultureInfo.InvariantCulture)), new("name", gpu.Name)];
}
