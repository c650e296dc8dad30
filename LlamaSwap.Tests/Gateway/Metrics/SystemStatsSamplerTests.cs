using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Gateway.Metrics;

public sealed class SystemStatsSamplerTests : IDisposable
{
    private const string Stat = """
        cpu  300 0 100 500 100 0 0 0 0 0
        cpu0 100 0 50 200 50 0 0 0 0 0
        cpu1 200 0 50 300 50 0 0 0 0 0
        intr 1 2 3
        """;

    private const string MemInfo = """
        MemTotal:       1000 kB
        MemFree:         200 kB
        MemAvailable:    600 kB
        SwapTotal:       100 kB
        SwapFree:         40 kB
        """;

    private const string NetDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:     500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
          eth0: 1234567      11    0    0    0     0          0         0    7654       7    0    0    0     0       0          0
        """;

    private readonly string _proc = Directory.CreateTempSubdirectory("llamaswap-proc-").FullName;
    private readonly TimerCountingClock _time = new();
    private readonly ConfigHolder _config = new(new LlamaSwapConfig());

    public SystemStatsSamplerTests()
    {
        Directory.CreateDirectory(Path.Combine(_proc, "net"));
        File.WriteAllText(Path.Combine(_proc, "stat"), Stat);
        File.WriteAllText(Path.Combine(_proc, "meminfo"), MemInfo);
        File.WriteAllText(Path.Combine(_proc, "loadavg"), "0.50 1.25 2.00 1/88 3817\n");
        File.WriteAllText(Path.Combine(_proc, "net", "dev"), NetDev);
    }

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void SampleOnce_ReadsMemoryLoadAndNetwork()
    {
        var sampler = NewSampler();

        sampler.SampleOnce();

        var snapshot = Assert.IsType<SystemSnapshot>(sampler.Latest);
        Assert.Equal(new MemoryStats(1000 * 1024, 400 * 1024, 200 * 1024, 100 * 1024, 60 * 1024), snapshot.Memory);
        Assert.Equal((0.5, 1.25, 2.0), snapshot.LoadAverage);
        Assert.Contains(new NetworkStats("eth0", 1234567, 7654), snapshot.Network);
        Assert.Contains(new NetworkStats("lo", 500, 500), snapshot.Network);
    }

    [Fact]
    public async Task CpuUtilisation_IsTheBusyShareBetweenTwoSamples_TakenEveryPerformanceEvery()
    {
        _config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { PerformanceEvery = TimeSpan.FromSeconds(10) } });
        using var sampler = NewSampler();
        await sampler.StartAsync(CancellationToken.None);

        // First sample: since boot. cpu0: 400 jiffies, 250 idle (idle + iowait).
        Assert.Equal(37.5, sampler.Latest!.CpuPercent.Single(c => c.Core == "0").Percent, precision: 9);

        // The loop runs on its own thread: let it start waiting before the clock moves.
        await Eventually.TrueAsync(() => _time.TimersCreated > 0, "the sampler waits for its next round");

        // cpu0 +100 jiffies of which 25 idle; cpu1 fully idle.
        File.WriteAllText(Path.Combine(_proc, "stat"), """
            cpu0 175 0 50 225 50 0 0 0 0 0
            cpu1 200 0 50 400 50 0 0 0 0 0
            """);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(37.5, sampler.Latest!.CpuPercent.Single(c => c.Core == "0").Percent, precision: 9);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => sampler.Latest!.CpuPercent.Single(c => c.Core == "0").Percent > 70, "the second sample is taken");
        Assert.Equal(75, sampler.Latest!.CpuPercent.Single(c => c.Core == "0").Percent, precision: 9);
        Assert.Equal(0, sampler.Latest.CpuPercent.Single(c => c.Core == "1").Percent, precision: 9);
        await sampler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void SampleOnce_WhenPerformanceIsDisabled_KeepsNoSnapshot()
    {
        var sampler = NewSampler();
        sampler.SampleOnce();
        Assert.NotNull(sampler.Latest);

        _config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { PerformanceDisabled = true } });
        sampler.SampleOnce();

        Assert.Null(sampler.Latest);
    }

    [Fact]
    public void SampleOnce_WithoutProc_KeepsNoSnapshot()
    {
        var sampler = new SystemStatsSampler(_config, _time, NullLogger<SystemStatsSampler>.Instance, Path.Combine(_proc, "missing"));

        sampler.SampleOnce();

        Assert.Null(sampler.Latest);
    }

    private SystemStatsSampler NewSampler() => new(_config, _time, NullLogger<SystemStatsSampler>.Instance, _proc);

    /// <summary>The manual clock, telling how many timers were asked for.</summary>
    private sealed class TimerCountingClock : TimeProvider
    {
        private readonly ManualTimeProvider _inner = new();
        private int _timersCreated;

        public int TimersCreated => Volatile.Read(ref _timersCreated);

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

        public override long TimestampFrequency => _inner.TimestampFrequency;

        public override long GetTimestamp() => _inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _inner.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timersCreated);
            return timer;
        }

        public void Advance(TimeSpan by) => _inner.Advance(by);
    }
}
