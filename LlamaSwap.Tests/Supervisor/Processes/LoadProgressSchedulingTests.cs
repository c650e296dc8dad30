using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Infrastructure;
using LlamaSwap.Tests.Supervisor.Scheduling;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>Load progress through the owner loop: published while starting, gone once the start ends.</summary>
public sealed class LoadProgressSchedulingTests
{
    private static LoadProgress Progress(long bytes) => new() { Fraction = bytes / 1000.0, Bytes = bytes, TotalBytes = 1000, EtaMs = 500, Source = LoadProgressSources.ProcIo };

    [Fact]
    public async Task ProgressWhileStarting_IsPublished_AndClearedWhenReady()
    {
        await using var harness = new SchedulerHarness(SchedulerHarness.OneAtATime("m"), autoStart: false);
        var pending = harness.Acquire("m");
        await harness.WaitForState("m", ModelStates.Starting);
        var process = harness.Factory.Latest("m");

        process.ReportLoadProgress(Progress(400));
        await harness.Scheduler.ProbeAsync();

        Assert.Equal(Progress(400), harness.Scheduler.Snapshot().Single().Progress);
        await Eventually.TrueAsync(async () => (await harness.Store.GetAllAsync()).SingleOrDefault()?.Progress?.Bytes == 400, "the store has the progress");

        process.CompleteStart();
        await harness.Granted(pending);
        await harness.WaitForState("m", ModelStates.Ready);

        // A late report (the monitor's last sample raced the health check) changes nothing.
        process.ReportLoadProgress(Progress(900));
        await harness.Scheduler.ProbeAsync();
        Assert.Null(harness.Scheduler.Snapshot().Single().Progress);
        await Eventually.TrueAsync(async () => (await harness.Store.GetAllAsync()).SingleOrDefault() is { State: ModelStates.Ready, Progress: null }, "the store has the ready state without progress");
    }

    [Fact]
    public async Task FailedStart_PublishesStopped_WithoutProgress()
    {
        await using var harness = new SchedulerHarness(SchedulerHarness.OneAtATime("m"), autoStart: false);
        var pending = harness.Acquire("m");
        await harness.WaitForState("m", ModelStates.Starting);
        var process = harness.Factory.Latest("m");
        process.ReportLoadProgress(Progress(100));

        process.FailStart("upstream command exited prematurely");
        await pending.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.WaitForState("m", ModelStates.Stopped);

        Assert.Null(harness.Scheduler.Snapshot().Single().Progress);
    }
}
