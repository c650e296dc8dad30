using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary><c>routing.scheduler.settings.fifo</c>: priority, maxWait (anti-starvation) and minLoaded.</summary>
public sealed class FairnessTests
{
    private static LlamaSwapConfig OneAtATime(SchedulerConfig scheduler, params string[] models)
        => SchedulerHarness.OneAtATime(models) with { Scheduler = scheduler };

    [Fact]
    public async Task Queue_HigherPriorityRequest_IsServedBeforeAnEarlierOne()
    {
        var config = OneAtATime(new SchedulerConfig { Priority = new Dictionary<string, int> { ["c"] = 10 } }, "a", "b", "c");
        await using var h = new SchedulerHarness(config);
        var a = await h.Granted(h.Acquire("a"));
        var b = h.Acquire("b");
        var c = h.Acquire("c");
        await h.Scheduler.ProbeAsync();

        h.Scheduler.Release(a.LeaseId);
        await h.Granted(c);
        await h.Scheduler.ProbeAsync();

        Assert.False(b.IsCompleted, "b waits: c had the higher priority");
        Assert.Equal(ModelStates.Ready, h.StateOf("c"));
    }

    [Fact]
    public async Task MaxWait_Off_NewRequestsForTheBusyModelKeepJumpingTheQueue()
    {
        await using var h = new SchedulerHarness(OneAtATime(new SchedulerConfig(), "a", "b"));
        var first = await h.Granted(h.Acquire("a"));
        var b = h.Acquire("b");
        await h.Scheduler.ProbeAsync();

        h.Time.Advance(TimeSpan.FromMinutes(10));
        var later = await h.Granted(h.Acquire("a"));
        h.Scheduler.Release(first.LeaseId);
        await h.Scheduler.ProbeAsync();

        // llama-swap's behaviour: a always has a request in flight, so b never gets its swap.
        Assert.False(b.IsCompleted);
        h.Scheduler.Release(later.LeaseId);
        await h.Granted(b);
    }

    [Fact]
    public async Task MaxWait_RequestWaitingLongerThanMaxWait_GetsItsSwapDespiteAStreamForTheOtherModel()
    {
        await using var h = new SchedulerHarness(OneAtATime(new SchedulerConfig { MaxWaitSeconds = 2 }, "a", "b"));
        var first = await h.Granted(h.Acquire("a"));
        var b = h.Acquire("b");
        await h.Scheduler.ProbeAsync();

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var beforeMaxWait = await h.Granted(h.Acquire("a"));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var afterMaxWait = h.Acquire("a");
        await h.Scheduler.ProbeAsync();
        Assert.False(afterMaxWait.IsCompleted, "past maxWait, new requests for a queue behind b");

        h.Scheduler.Release(first.LeaseId);
        h.Scheduler.Release(beforeMaxWait.LeaseId);
        var bLease = await h.Granted(b);

        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
        Assert.False(afterMaxWait.IsCompleted, "a waits for b's request to finish");
        h.Scheduler.Release(bLease.LeaseId);
        await h.Granted(afterMaxWait);
        Assert.Equal(2, h.Factory.StartsOf("a"));
    }

    [Fact]
    public async Task MinLoaded_ModelIsNotEvictedBeforeItsMinimumTime_ThenIs()
    {
        await using var h = new SchedulerHarness(OneAtATime(new SchedulerConfig { MinLoadedSeconds = 5 }, "a", "b"));
        h.Scheduler.Release((await h.Granted(h.Acquire("a"))).LeaseId);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var b = h.Acquire("b");
        await h.Scheduler.ProbeAsync();
        Assert.False(b.IsCompleted, "a loaded 1 s ago may not be evicted yet");

        h.Time.Advance(TimeSpan.FromSeconds(3));
        await h.Scheduler.ProbeAsync();
        Assert.False(b.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.Granted(b);
        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
    }

    [Fact]
    public async Task MinLoaded_DoesNotDelayTheFirstLoad()
    {
        await using var h = new SchedulerHarness(OneAtATime(new SchedulerConfig { MinLoadedSeconds = 60 }, "a"));

        await h.Granted(h.Acquire("a"));

        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
    }
}
