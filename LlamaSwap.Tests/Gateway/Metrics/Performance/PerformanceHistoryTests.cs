using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

public sealed class PerformanceHistoryTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Read_KeepsOnlyTheLastHour_HoweverLongItRuns()
    {
        var history = new PerformanceHistory(_time);

        // Three hours of samples every 5 s (the shortest performance.every).
        for (var i = 0; i < 3 * 720; i++)
        {
            history.AddSystem(Sys(_time.GetUtcNow()));
            history.AddGpus([Gpu(_time.GetUtcNow(), 0), Gpu(_time.GetUtcNow(), 1)]);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var (system, gpus) = history.Read();

        Assert.InRange(system.Count, 719, 721);
        Assert.Equal(system.Count * 2, gpus.Count);
        Assert.True(system[0].Timestamp >= (_time.GetUtcNow() - PerformanceHistory.Window).UtcDateTime);
        Assert.True(system.Zip(system.Skip(1)).All(p => p.First.Timestamp < p.Second.Timestamp), "oldest first");
    }

    [Fact]
    public void Read_WithAfter_ReturnsOnlyNewerSamples()
    {
        var history = new PerformanceHistory(_time);
        var first = _time.GetUtcNow();
        history.AddSystem(Sys(first));
        history.AddGpus([Gpu(first, 0)]);
        _time.Advance(TimeSpan.FromSeconds(5));
        history.AddSystem(Sys(_time.GetUtcNow()));
        history.AddGpus([Gpu(_time.GetUtcNow(), 0)]);

        var (system, gpus) = history.Read(after: first);

        Assert.Equal(_time.GetUtcNow().UtcDateTime, Assert.Single(system).Timestamp);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, Assert.Single(gpus).Timestamp);
        Assert.Equal(2, history.Read().System.Count);
    }

    [Fact]
    public void SamplesOlderThanAnHour_GoEvenWithoutNewOnes()
    {
        var history = new PerformanceHistory(_time);
        history.AddSystem(Sys(_time.GetUtcNow()));

        _time.Advance(PerformanceHistory.Window + TimeSpan.FromSeconds(1));

        Assert.Empty(history.Read().System);
    }

    private static SysStat Sys(DateTimeOffset at) => new() { Timestamp = at.UtcDateTime, CpuUtilPerCore = [1.0], NetIo = [] };

    private static GpuStat Gpu(DateTimeOffset at, int id) => new() { Timestamp = at.UtcDateTime, Id = id, Name = "gpu" };
}
