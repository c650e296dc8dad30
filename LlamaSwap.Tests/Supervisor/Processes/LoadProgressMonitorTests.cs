using System.Threading.Channels;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>Sampling on a manual clock: one look per interval, a report only when the estimate changed.</summary>
public sealed class LoadProgressMonitorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly Channel<int> _sampled = Channel.CreateUnbounded<int>();
    private readonly Channel<LoadProgress> _reports = Channel.CreateUnbounded<LoadProgress>();
    private long _bytes;

    [Fact]
    public async Task ReportsAtMostOncePerInterval_OnlyWhenChanged_AndStopsAtTheTotal()
    {
        var monitor = new LoadProgressMonitor(Sample, totalBytes: 1_000, _time);
        using var stop = new CancellationTokenSource();
        var running = monitor.RunAsync(7, p => _reports.Writer.TryWrite(p), stop.Token);

        // Loaded bytes change many times between two ticks: one report, with the latest figure.
        _bytes = 100;
        _bytes = 250;
        await TickAsync();
        Assert.Equal(250, (await NextReportAsync()).Bytes);

        // Nothing moved: a sample, no report. The next report is the next change.
        await TickAsync();
        _bytes = 600;
        await TickAsync();
        var moved = await NextReportAsync();
        Assert.Equal((600L, 0.6), (moved.Bytes, moved.Fraction));
        Assert.False(_reports.Reader.TryRead(out var extra), $"one report per change, got also {extra}");

        _bytes = 1_000;
        await TickAsync();
        Assert.Equal(1.0, (await NextReportAsync()).Fraction);
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(_reports.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Stop_EndsTheMonitor_WithoutAnotherReport()
    {
        var monitor = new LoadProgressMonitor(Sample, totalBytes: 1_000, _time);
        using var stop = new CancellationTokenSource();
        var running = monitor.RunAsync(7, p => _reports.Writer.TryWrite(p), stop.Token);
        _bytes = 10;
        await TickAsync();
        await NextReportAsync();

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        _bytes = 500;
        _time.Advance(LoadProgressMonitor.Interval * 4);

        Assert.False(_reports.Reader.TryRead(out _));
    }

    [Fact]
    public async Task NothingReadYet_IsNotReported()
    {
        var monitor = new LoadProgressMonitor(Sample, totalBytes: 1_000, _time);
        using var stop = new CancellationTokenSource();
        var running = monitor.RunAsync(7, p => _reports.Writer.TryWrite(p), stop.Token);

        await TickAsync();
        _bytes = 1;
        await TickAsync();

        Assert.Equal(1, (await NextReportAsync()).Bytes);
        await stop.CancelAsync();
        await running;
    }

    private LoadSample Sample(int pid)
    {
        Assert.Equal(7, pid);
        var sample = new LoadSample(Interlocked.Read(ref _bytes), 0);

        // Signalled after the read, so a test's next change cannot slip into this sample.
        _sampled.Writer.TryWrite(pid);
        return sample;
    }

    /// <summary>Moves the clock one interval (the monitor's timer exists from the call on) and waits until the monitor has taken that sample.</summary>
    private async Task TickAsync()
    {
        _time.Advance(LoadProgressMonitor.Interval);
        await _sampled.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<LoadProgress> NextReportAsync()
        => await _reports.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
