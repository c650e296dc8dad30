using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>An upstream a crashed supervisor left, handed to the scheduler as its model's ready process.</summary>
public sealed class AdoptionTests
{
    [Fact]
    public async Task Adopt_MakesTheModelReady_AndGrantsOnItWithoutStartingAnything()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"));
        var adopted = await LeftoverOf(h, "a");

        h.Scheduler.Adopt(adopted);

        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.Equal(adopted.Pid, h.Scheduler.Snapshot().Single(r => r.Model == "a").Pid);
        var lease = await h.Granted(h.Acquire("a"));
        Assert.Equal("http://127.0.0.1:5800", lease.Upstream);
        Assert.Equal(0, h.Factory.StartsOf("a"));
    }

    [Fact]
    public async Task AdoptedModel_IsSwappedOutLikeAnyOther()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"));
        var adopted = await LeftoverOf(h, "a");
        h.Scheduler.Adopt(adopted);

        await h.Granted(h.Acquire("b"));

        Assert.True(adopted.StopRequested);
        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
    }

    [Fact]
    public async Task AdoptedProcessExits_TheModelIsStopped_AndTheNextRequestStartsIt()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));
        var adopted = await LeftoverOf(h, "a");
        h.Scheduler.Adopt(adopted);

        adopted.Crash();

        await h.WaitForState("a", ModelStates.Stopped);
        await h.Granted(h.Acquire("a"));
        Assert.Equal(1, h.Factory.StartsOf("a"));
    }

    [Fact]
    public async Task Adopt_ForAModelAlreadyRunning_KeepsTheRunningOne()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));
        await h.Granted(h.Acquire("a"));
        var running = h.Factory.Latest("a");
        var adopted = await LeftoverOf(h, "a");

        h.Scheduler.Adopt(adopted);
        await h.Scheduler.ProbeAsync();

        Assert.Equal(running.Pid, h.Scheduler.Snapshot().Single(r => r.Model == "a").Pid);
        Assert.False(running.StopRequested);
    }

    [Fact]
    public async Task LeaseIds_DifferBetweenSupervisors_SoALateReleaseOfAPredecessorsLeaseReleasesNothing()
    {
        await using var before = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));
        await using var after = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"));
        var old = await before.Granted(before.Acquire("a"));
        await after.Granted(after.Acquire("a"));

        after.Scheduler.Release(old.LeaseId);
        var swap = after.Acquire("b");
        await after.Scheduler.ProbeAsync();

        Assert.False(swap.IsCompleted, "the lease held on a must still block the swap");
        Assert.False(after.Factory.Latest("a").StopRequested);
    }

    /// <summary>A fake process that is already running, as a leftover is (not created by the scheduler's factory).</summary>
    private static async Task<FakeUpstreamProcess> LeftoverOf(SchedulerHarness h, string model)
    {
        var process = new FakeUpstreamProcess(ProcessSpec.For(h.Scheduler.Config.Models[model]), autoStart: true);
        await process.StartAsync(CancellationToken.None);
        return process;
    }
}
