using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

/// <summary><c>GET /api/performance</c> and <c>GET /api/hardware</c> on a real gateway whose GPU tool is a fake printing a recorded output.</summary>
public sealed class PerformanceApiTests : IDisposable
{
    private static readonly string[] SysFields =
    [
        "timestamp", "cpu_util_per_core", "mem_total_mb", "mem_used_mb", "mem_free_mb", "swap_total_mb",
        "swap_used_mb", "load_avg_1", "load_avg_5", "load_avg_15", "net_io",
    ];

    private static readonly string[] GpuFields =
    [
        "timestamp", "id", "name", "uuid", "temp_c", "vram_temp_c", "gpu_util_pct", "mem_util_pct",
        "mem_used_mb", "mem_total_mb", "fan_speed_pct", "power_draw_w",
    ];

    private readonly FakeGpuTools _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task Performance_HasSystemAndGpuSamples_InLlamaSwapsShape()
    {
        _tools.Prints("nvidia-smi", Recordings.NvidiaRtx2060);
        await using var harness = await StartAsync();

        var body = await EventuallyAsync(harness, "/api/performance", json => json.GetProperty("gpu_stats").GetArrayLength() > 0);

        Assert.True(body.GetProperty("enabled").GetBoolean());
        var sys = body.GetProperty("sys_stats")[0];
        Assert.Equal(SysFields.Order(), sys.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(sys.GetProperty("mem_total_mb").GetInt64() > 0);
        Assert.True(sys.GetProperty("cpu_util_per_core").GetArrayLength() > 0);
        Assert.EndsWith("Z", sys.GetProperty("timestamp").GetString());
        var gpu = body.GetProperty("gpu_stats")[0];
        Assert.Equal(GpuFields.Order(), gpu.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("GeForce RTX 2060", gpu.GetProperty("name").GetString());
        Assert.Equal(682, gpu.GetProperty("mem_used_mb").GetInt64());
        Assert.Equal(20, gpu.GetProperty("gpu_util_pct").GetDouble());
    }

    [Fact]
    public async Task Performance_After_KeepsOnlyNewerSamples_AndABadAfterIs400()
    {
        await using var harness = await StartAsync();
        var all = await EventuallyAsync(harness, "/api/performance", json => json.GetProperty("sys_stats").GetArrayLength() > 0);
        var last = all.GetProperty("sys_stats").EnumerateArray().Last().GetProperty("timestamp").GetString()!;

        var newer = await GetJsonAsync(harness, $"/api/performance?after={Uri.EscapeDataString(last)}");
        var earlier = await GetJsonAsync(harness, $"/api/performance?after={Uri.EscapeDataString("2000-01-01T00:00:00.123456789+02:00")}");
        using var bad = await harness.Client.GetAsync("/api/performance?after=yesterday");

        Assert.All(newer.GetProperty("sys_stats").EnumerateArray(), s => Assert.True(
            DateTimeOffset.Parse(s.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse(last, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(earlier.GetProperty("sys_stats").GetArrayLength() >= all.GetProperty("sys_stats").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("RFC3339", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Performance_Disabled_Is503EnabledFalse_WhileHardwareStillAnswers()
    {
        _tools.Prints("nvidia-smi", Recordings.NvidiaRtx2060);
        await using var harness = await StartAsync(performanceDisabled: true);

        using var response = await harness.Client.GetAsync("/api/performance");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"enabled":false}""", await response.Content.ReadAsStringAsync());
        await EventuallyAsync(harness, "/api/hardware", json => json.GetProperty("accelerators").GetArrayLength() == 1);
    }

    [Fact]
    public async Task Hardware_DescribesCpuMemoryAndTheDetectedGpus()
    {
        _tools.Prints("rocm-smi", Recordings.RocmTwoGpus);
        await using var harness = await StartAsync();

        var hardware = await EventuallyAsync(harness, "/api/hardware", _ => true);

        Assert.Equal(1, hardware.GetProperty("schema_version").GetInt32());
        Assert.Equal("inference_host", hardware.GetProperty("capture").GetProperty("scope").GetString());
        Assert.Equal("linux", hardware.GetProperty("operating_system").GetProperty("family").GetString());
        Assert.Equal(Environment.ProcessorCount, hardware.GetProperty("cpu").GetProperty("logical_thread_count").GetInt32());
        Assert.True(hardware.GetProperty("memory").GetProperty("capacity_bytes").GetInt64() > 0);
        var accelerators = hardware.GetProperty("accelerators").EnumerateArray().ToArray();
        Assert.Equal([0, 1], accelerators.Select(a => a.GetProperty("index").GetInt32()));
        Assert.Equal("Raphael", accelerators[1].GetProperty("model").GetString());
        Assert.Equal("AMD", accelerators[1].GetProperty("vendor").GetString());
        Assert.Equal(67108864, accelerators[1].GetProperty("memory").GetProperty("capacity_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, accelerators[1].GetProperty("power_limit_watts").ValueKind);
    }

    [Fact]
    public async Task WhileTheGpuToolHangs_HardwareIs503_ButPerformanceAnswersAtOnce()
    {
        _tools.Hangs("nvidia-smi");
        await using var harness = await StartAsync(toolTimeout: TimeSpan.FromMinutes(5));

        using var hardware = await harness.Client.GetAsync("/api/hardware");
        var performance = await GetJsonAsync(harness, "/api/performance");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, hardware.StatusCode);
        Assert.Equal("hardware detection unavailable", await hardware.Content.ReadAsStringAsync());
        Assert.True(performance.GetProperty("sys_stats").GetArrayLength() > 0, "the first /proc sample is taken before the server starts");
        Assert.Equal(0, performance.GetProperty("gpu_stats").GetArrayLength());
    }

    [Fact]
    public async Task NoGpu_MeansAnEmptyGpuSection_AndNoAccelerators()
    {
        await using var harness = await StartAsync();

        var hardware = await EventuallyAsync(harness, "/api/hardware", _ => true);
        var performance = await GetJsonAsync(harness, "/api/performance");

        Assert.Equal(0, hardware.GetProperty("accelerators").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, performance.GetProperty("gpu_stats").ValueKind);
        Assert.Equal(0, performance.GetProperty("gpu_stats").GetArrayLength());
    }

    private Task<GatewayHarness> StartAsync(bool performanceDisabled = false, TimeSpan? toolTimeout = null)
        => GatewayHarness.StartAsync(
            url => GatewayHarness.DefaultConfig(url) with { Observability = new ObservabilityConfig { PerformanceDisabled = performanceDisabled } },
            extraArgs:
            [
                $"--Performance:ToolPath={_tools.Bin}",
                $"--Performance:SysfsRoot={_tools.Sysfs}",
                $"--Performance:ToolTimeout={toolTimeout ?? TimeSpan.FromSeconds(30)}",
            ]);

    private static async Task<JsonElement> EventuallyAsync(GatewayHarness harness, string path, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await harness.Client.GetAsync(path);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                return condition(last);
            },
            $"{path} answers as expected");
        return last;
    }

    private static async Task<JsonElement> GetJsonAsync(GatewayHarness harness, string path)
    {
        using var response = await harness.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
