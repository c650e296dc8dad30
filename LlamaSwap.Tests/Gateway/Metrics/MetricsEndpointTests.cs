using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Metrics;

/// <summary>
/// <c>GET /metrics</c> on a real gateway: the wiring from activity rows to Prometheus text. Runs
/// alone: every in-process gateway's SDK subscribes to every meter named <c>LlamaSwap.*</c> in the
/// process, and the OpenTelemetry SDK merges same-named instruments into one stream; in a parallel
/// run a recorded token count went missing, most likely because the stream was retired when another
/// test's gateway (and its meter) was disposed. One gateway per process, as in production, has none of this.
/// </summary>
[Collection(MetricsEndpointCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_ParsesAsPrometheusText_AndTokenCountersGrowByARecordedRequestsTokens()
    {
        await using var harness = await GatewayHarness.StartAsync();

        // Every gateway in this test process shares meter names: a model name of its own keeps this one's series apart.
        var model = $"metrics-{Guid.NewGuid():N}";
        var listeners = harness.Gateway.Services.GetServices<IActivityListener>().ToArray();
        var before = await ScrapeAsync(harness);
        foreach (var listener in listeners)
        {
            listener.OnRecorded(new ActivityEntry
            {
                Model = model,
                ResponseStatusCode = 200,
                Tokens = new ActivityTokens { InputTokens = 11, OutputTokens = 29 },
                FirstByteMs = 120,
                QueueWaitMs = 5,
                LoadMs = 900,
            });
        }

        var after = await ScrapeAsync(harness);

        Assert.Null(before.Value("llamaswap_tokens_input_total", ("model", model)));
        Assert.Equal(11, after.Value("llamaswap_tokens_input_total", ("model", model)));
        Assert.Equal(29, after.Value("llamaswap_tokens_output_total", ("model", model)));
        Assert.Equal(1, after.Value("llamaswap_requests_total", ("model", model), ("status_code", "200")));
        Assert.Equal(1, after.Value("llamaswap_time_to_first_token_seconds_count", ("model", model)));
        Assert.Equal(1, after.Value("llamaswap_model_load_seconds_count", ("model", model)));
        Assert.Equal("histogram", after.TypeOf["llamaswap_queue_wait_seconds"]);
        Assert.NotNull(after.Value("llamaswap_requests_inflight"));
        Assert.NotNull(after.Value("llamaswap_models_loaded"));
    }

    /// <summary>
    /// The names README.md documents (and llama-swap's system metrics) as OpenTelemetry's Prometheus
    /// exporter derives them from our instrument names and units: a changed unit or name shows here.
    /// </summary>
    [Fact]
    public async Task Metrics_EveryDocumentedFamilyHasItsNameAndType_AndSamplesCarryNoScopeLabels()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var model = $"names-{Guid.NewGuid():N}";
        foreach (var listener in harness.Gateway.Services.GetServices<IActivityListener>())
        {
            listener.OnRecorded(new ActivityEntry
            {
                Model = model,
                KeyName = "names-key",
                ResponseStatusCode = 200,
                Tokens = new ActivityTokens { InputTokens = 1, OutputTokens = 2 },
                FirstByteMs = 1,
                QueueWaitMs = 1,
                LoadMs = 1,
            });
        }

        var metrics = await ScrapeAsync(harness);

        var expected = new Dictionary<string, string>
        {
            ["llamaswap_requests_total"] = "counter",
            ["llamaswap_tokens_input_total"] = "counter",
            ["llamaswap_tokens_output_total"] = "counter",
            ["llamaswap_time_to_first_token_seconds"] = "histogram",
            ["llamaswap_queue_wait_seconds"] = "histogram",
            ["llamaswap_model_load_seconds"] = "histogram",
            ["llamaswap_models_loaded"] = "gauge",
            ["llamaswap_requests_inflight"] = "gauge",
            ["llamaswap_cpu_util_percent"] = "gauge",
            ["llamaswap_memory_total_bytes"] = "gauge",
            ["llamaswap_memory_used_bytes"] = "gauge",
            ["llamaswap_memory_free_bytes"] = "gauge",
            ["llamaswap_swap_total_bytes"] = "gauge",
            ["llamaswap_swap_used_bytes"] = "gauge",
            ["llamaswap_load_average"] = "gauge",
            ["llamaswap_network_bytes_total"] = "counter",
            ["llamaswap_key_requests_total"] = "counter",
            ["llamaswap_key_tokens_input_total"] = "counter",
            ["llamaswap_key_tokens_output_total"] = "counter",
        };
        foreach (var (name, type) in expected)
        {
            Assert.True(metrics.TypeOf.TryGetValue(name, out var actual), $"/metrics lists {name}; it has {string.Join(", ", metrics.TypeOf.Keys)}");
            Assert.Equal(type, actual);
        }

        Assert.Equal(["model", "status_code"], metrics.Find("llamaswap_requests_total", ("model", model)).Single().Labels.Keys.Order());
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.Keys.Any(l => l.StartsWith("otel_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Metrics_IncludesTheReferencesSystemMetrics()
    {
        await using var harness = await GatewayHarness.StartAsync();

        var metrics = await ScrapeAsync(harness);

        Assert.True(metrics.Value("llamaswap_memory_total_bytes") > 0);
        Assert.NotNull(metrics.Value("llamaswap_memory_used_bytes"));
        Assert.NotNull(metrics.Value("llamaswap_memory_free_bytes"));
        Assert.NotNull(metrics.Value("llamaswap_swap_total_bytes"));
        Assert.NotNull(metrics.Value("llamaswap_swap_used_bytes"));
        Assert.NotEmpty(metrics.Find("llamaswap_cpu_util_percent", ("core", "0")));
        Assert.NotNull(metrics.Value("llamaswap_load_average", ("interval", "15m")));
        Assert.Equal("counter", metrics.TypeOf["llamaswap_network_bytes_total"]);
        Assert.NotEmpty(metrics.Find("llamaswap_network_bytes_total", ("interface", "lo"), ("direction", "recv")));
    }

    [Fact]
    public async Task Metrics_WithPerformanceDisabled_StillServesRequestMetricsWithoutSystemMetrics()
    {
        await using var harness = await GatewayHarness.StartAsync(url => GatewayHarness.DefaultConfig(url) with
        {
            Observability = new ObservabilityConfig { PerformanceDisabled = true },
        });

        var metrics = await ScrapeAsync(harness);

        // Whether the system series are absent is SystemMetricsTests' to check: every gateway in this
        // test process exports every same-named meter, and other tests' gateways have them enabled.
        Assert.NotNull(metrics.Value("llamaswap_requests_inflight"));
        Assert.Null(harness.Gateway.Services.GetRequiredService<SystemStatsSampler>().Latest);
    }

    private static async Task<PrometheusText> ScrapeAsync(GatewayHarness harness)
    {
        using var response = await harness.Client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics -> {(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType?.ToString());
        return PrometheusText.Parse(body);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsEndpointCollection
{
    public const string Name = "MetricsEndpoint";
}
