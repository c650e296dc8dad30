using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class LoadProgressEstimatorTests
{
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Add_TakesTheLargerFigure_NamesItsSource_AndCapsAtTheTotal()
    {
        var estimator = new LoadProgressEstimator(1_000);

        var read = estimator.Add(Ms(250), new LoadSample(ReadBytes: 300, MappedBytes: 100));
        var mapped = estimator.Add(Ms(500), new LoadSample(ReadBytes: 300, MappedBytes: 600));
        var over = estimator.Add(Ms(750), new LoadSample(ReadBytes: 5_000, MappedBytes: 600));

        Assert.Equal((300L, 0.3, LoadProgressSources.ProcIo), (read.Bytes, read.Fraction, read.Source));
        Assert.Equal((600L, 0.6, LoadProgressSources.Mmap), (mapped.Bytes, mapped.Fraction, mapped.Source));
        Assert.Equal((1_000L, 1.0, 0L), (over.Bytes, over.Fraction, over.EtaMs));
    }

    [Fact]
    public void Add_NeverGoesBack_WhenAFigureDrops()
    {
        var estimator = new LoadProgressEstimator(1_000);
        estimator.Add(Ms(250), new LoadSample(0, 700));

        // The kernel reclaimed mapped pages (or a shell child that had read exited): the load did not undo itself.
        var later = estimator.Add(Ms(500), new LoadSample(100, 200));

        Assert.Equal(700, later.Bytes);
        Assert.Equal(LoadProgressSources.Mmap, later.Source);
    }

    [Fact]
    public void Eta_FollowsTheRecentRate_AndIsUnknownWhileNothingMoves()
    {
        var estimator = new LoadProgressEstimator(10_000);

        var first = estimator.Add(Ms(0), new LoadSample(1_000, 0));
        var second = estimator.Add(Ms(1_000), new LoadSample(2_000, 0));

        Assert.Null(first.EtaMs);

        // 1 000 bytes/s, 8 000 to go.
        Assert.Equal(8_000, second.EtaMs);

        // Stalled, but the window still holds movement: the rate drops, the ETA grows.
        var slowing = estimator.Add(Ms(3_000), new LoadSample(2_000, 0));
        Assert.Equal(24_000, slowing.EtaMs);

        // Stalled for longer than the rate window: no rate, no ETA.
        var stalled = estimator.Add(Ms(1_000) + LoadProgressEstimator.RateWindow + Ms(500), new LoadSample(2_000, 0));
        Assert.Null(stalled.EtaMs);
    }

    [Fact]
    public void Eta_UsesOnlyTheWindow_SoASpeedUpShows()
    {
        var estimator = new LoadProgressEstimator(100_000);
        estimator.Add(Ms(0), new LoadSample(0, 0));
        estimator.Add(Ms(10_000), new LoadSample(1_000, 0));

        // From 100 bytes/s to 10 000 bytes/s (the rest came from the page cache).
        estimator.Add(Ms(11_000), new LoadSample(11_000, 0));
        var fast = estimator.Add(Ms(12_000), new LoadSample(21_000, 0));

        Assert.InRange(fast.EtaMs!.Value, 7_000, 9_000);
    }
}
