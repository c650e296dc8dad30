using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

/// <summary>
/// The GPU gauges in <c>/metrics</c>, and every series llama-swap's example Grafana dashboard
/// (docs/grafana/example-dashboard.json in mostlygeek/llama-swap) queries. In the metrics collection:
/// gateways in one test process share meter names (see <see cref="MetricsEndpointTests"/>).
/// </summary>
[Collection(MetricsEndpointCollection.Name)]
public sealed class GpuMetricsEndpointTests : IDisposable
{
    /// <summary>The dashboard's panel queries, by metric and the label values they select on.</summary>
    private static readonly (string Name, (string, string)[] Labels)[] GrafanaQueries =
    [
        ("llamaswap_cpu_util_percent", []),
        ("llamaswap_load_average", []),
        ("llamaswap_memory_used_bytes", []),
        ("llamaswap_memory_free_bytes", []),
        ("llamaswap_swap_used_bytes", []),
        ("llamaswap_memory_total_bytes", []),
        ("llamaswap_network_bytes_total", [("direction", "recv")]),
        ("llamaswap_network_bytes_total", [("direction", "sent")]),
        ("llamaswap_gpu_util_percent", []),
        ("llamaswap_gpu_memory_util_percent", []),
        ("llamaswap_gpu_temperature_celsius", []),
        ("llamaswap_gpu_power_draw_watts", []),
        ("llamaswap_gpu_fan_speed_percent", []),
    ];

    private readonly FakeGpuTools _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task Metrics_HaveEveryGpuGauge_LabelledIdNameAndUuid_AndEverySeriesTheGrafanaExampleQueries()
    {
        _tools.Prints("rocm-smi", Recordings.RocmTwoGpus);
        await using var harness = await GatewayHarness.StartAsync(extraArgs:
            [$"--Performance:ToolPath={_tools.Bin}", $"--Performance:SysfsRoot={_tools.Sysfs}"]);

        PrometheusText metrics = null!;
        await Eventually.TrueAsync(
            async () =>
            {
                metrics = PrometheusText.Parse(await harness.Client.GetStringAsync("/metrics"));
                return metrics.Find("llamaswap_gpu_memory_used_bytes").Any();
            },
            "/metrics has the GPU gauges after the first GPU round");

        foreach (var name in new[]
        {
            "llamaswap_gpu_temperature_celsius", "llamaswap_gpu_vram_temperature_celsius", "llamaswap_gpu_util_percent",
            "llamaswap_gpu_memory_util_percent", "llamaswap_gpu_memory_used_bytes", "llamaswap_gpu_memory_total_bytes",
            "llamaswap_gpu_fan_speed_percent", "llamaswap_gpu_power_draw_watts",
        })
        {
            Assert.Equal("gauge", metrics.TypeOf[name]);
        }

        var raphael = Assert.Single(metrics.Find("llamaswap_gpu_memory_total_bytes", ("id", "1")));
        Assert.Equal(67108864, raphael.Value);
        Assert.Equal(["id", "name", "uuid"], raphael.Labels.Keys.Order());
        Assert.Equal("Raphael", raphael.Labels["name"]);
        Assert.Equal("52156", raphael.Labels["uuid"]);
        Assert.Equal(692142080 / (1024 * 1024) * 1024.0 * 1024.0, metrics.Value("llamaswap_gpu_memory_used_bytes", ("id", "0")));
        foreach (var (name, labels) in GrafanaQueries)
        {
            Assert.True(metrics.Find(name, labels).Any(), $"/metrics has {name} {string.Join(",", labels)} as llama-swap's Grafana example queries it");
        }
    }
}
