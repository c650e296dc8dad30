using System.Diagnostics.Metrics;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Metrics.Performance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Gateway.Metrics;

public sealed class SystemMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ConfigHolder _config = new(new LlamaSwapConfig());
    private readonly MeasurementRecorder _recorder;
    private readonly SystemStatsSampler _sampler;

    public SystemMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _recorder = new MeasurementRecorder(factory);
        _sampler = new SystemStatsSampler(_config, TimeProvider.System, NullLogger<SystemStatsSampler>.Instance);
        _ = new SystemMetrics(factory, _sampler);
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void Observed_ReportsTheLatestSampleWithTheReferencesLabels()
    {
        _sampler.SampleOnce();
        _recorder.Observe();

        Assert.True(Assert.Single(_recorder.Of("llamaswap_memory_total_bytes")).Value > 0);
        Assert.Equal(["15m", "1m", "5m"], _recorder.Of("llamaswap_load_average").Select(m => (string)m.Tags["interval"]!).Order(StringComparer.Ordinal));
        Assert.Contains(_recorder.Of("llamaswap_network_bytes"), m => (string)m.Tags["interface"]! == "lo" && (string)m.Tags["direction"]! == "sent");
        Assert.Contains(_recorder.Of("llamaswap_cpu_util_percent"), m => (string)m.Tags["core"]! == "0" && m.Value is >= 0 and <= 100);
    }

    [Fact]
    public void Observed_WhenPerformanceIsDisabled_ReportsNothing()
    {
        _sampler.SampleOnce();
        _config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { PerformanceDisabled = true } });
        _sampler.SampleOnce();
        _recorder.Observe();

        Assert.Empty(_recorder.Of("llamaswap_memory_total_bytes"));
        Assert.Empty(_recorder.Of("llamaswap_cpu_util_percent"));
        Assert.Empty(_recorder.Of("llamaswap_load_average"));
        Assert.Empty(_recorder.Of("llamaswap_network_bytes"));
    }
}
