using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

public sealed class ModelSchedulerTests
{
    [Fact]
    public async Task Acquire_StoppedModel_StartsItAndGrantsALeaseOnItsUpstream()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));

        var lease = await h.Granted(h.Acquire("a"));

        Assert.Equal("http://127.0.0.1:5800", lease.Upstream);
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.Equal(1, h.Factory.StartsOf("a"));
    }

    [Fact]
    public async Task Acquire_UnknownModel_Answers404()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));

        var outcome = await h.Acquire("nope");

        Assert.Equal(404, outcome.Status);
        Assert.Equal("no local server found for requested model \"nope\"", outcome.Error!.Message);
    }

    [Fact]
    public async Task Acquire_DisabledModel_Fails500WithTheReason_AndStartsNothing()
    {
        var config = SchedulerHarness.Config(
            [new GroupConfig { Id = GroupConfig.DefaultGroupId, Members = ["a"] }],
            m => m with { DisabledReason = "model a: proxy uses ${PORT} but cmd does not" });
        await using var h = new SchedulerHarness(config);

        var outcome = await h.Acquire("a");

        Assert.Equal(500, outcome.Status);
        Assert.Equal("unspecific error: model a: proxy uses ${PORT} but cmd does not", outcome.Error!.Message);
        Assert.Empty(h.Factory.Created);
    }

    [Fact]
    public async Task Acquire_OtherModelInSwapGroup_StopsTheFirstOnceIdle()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"));
        var a = await h.Granted(h.Acquire("a"));

        var pendingB = h.Acquire("b");
        await h.Scheduler.ProbeAsync();
        Assert.False(pendingB.IsCompleted, "b must wait while a serves a request");
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));

        h.Scheduler.Release(a.LeaseId);
        await h.Granted(pendingB);

        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
        Assert.True(h.Factory.Latest("a").StopRequested);
    }

    [Fact]
    public async Task Acquire_InterleavedRequestsForThreeModels_CollatesIntoThreeStarts()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b", "c"));
        string[] order = ["a", "b", "c", "a", "b", "c"];
        var pending = order.Select(m => (Model: m, Task: h.Acquire(m))).ToList();
        var served = new List<string>();

        for (var round = 0; round < 3; round++)
        {
            var granted = new List<(string Model, AcquireResponse Lease)>();
            await Infrastructure.Eventually.TrueAsync(
                () => pending.Count(p => p.Task.IsCompleted) == 2, $"round {round} granted two requests");
            foreach (var (model, task) in pending.Where(p => p.Task.IsCompleted).ToList())
            {
                pending.Remove((model, task));
                granted.Add((model, (await task).Lease!));
            }

            Assert.Single(granted.Select(g => g.Model).Distinct());
            served.AddRange(granted.Select(g => g.Model));
            foreach (var (_, lease) in granted)
            {
                h.Scheduler.Release(lease.LeaseId);
            }
        }

        Assert.Equal(["a", "a", "b", "b", "c", "c"], served);
        Assert.Equal(3, h.Factory.Created.Count);
    }

    [Fact]
    public async Task Acquire_GroupWithSwapFalse_MembersCoexist()
    {
        var config = SchedulerHarness.Config([new GroupConfig { Id = "pair", Swap = false, Members = ["a", "b"] }]);
        await using var h = new SchedulerHarness(config);

        await h.Granted(h.Acquire("a"));
        await h.Granted(h.Acquire("b"));

        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
    }

    [Fact]
    public async Task Acquire_ModelInExclusiveGroup_DoesNotEvictPersistentGroup()
    {
        var config = SchedulerHarness.Config([
            new GroupConfig { Id = "main", Members = ["a", "b"] },
            new GroupConfig { Id = "keep", Persistent = true, Swap = false, Exclusive = false, Members = ["p"] },
        ]);
        await using var h = new SchedulerHarness(config);
        h.Scheduler.Release((await h.Granted(h.Acquire("p"))).LeaseId);
        h.Scheduler.Release((await h.Granted(h.Acquire("a"))).LeaseId);

        await h.Granted(h.Acquire("b"));

        Assert.Equal(ModelStates.Ready, h.StateOf("p"));
        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
    }

    [Fact]
    public async Task Acquire_ExclusiveGroup_EvictsOtherNonPersistentGroups()
    {
        var config = SchedulerHarness.Config([
            new GroupConfig { Id = "one", Members = ["a"] },
            new GroupConfig { Id = "two", Members = ["b"] },
        ]);
        await using var h = new SchedulerHarness(config);
        h.Scheduler.Release((await h.Granted(h.Acquire("a"))).LeaseId);

        await h.Granted(h.Acquire("b"));

        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
    }

    [Fact]
    public async Task Acquire_NonExclusiveGroup_DoesNotUnloadExclusiveGroup()
    {
        var config = SchedulerHarness.Config([
            new GroupConfig { Id = "exclusive", Members = ["a"] },
            new GroupConfig { Id = "shy", Exclusive = false, Members = ["b"] },
        ]);
        await using var h = new SchedulerHarness(config);
        h.Scheduler.Release((await h.Granted(h.Acquire("a"))).LeaseId);

        await h.Granted(h.Acquire("b"));

        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
    }

    [Fact]
    public async Task Acquire_BeyondConcurrencyLimit_Answers429WithCode()
    {
        var config = SchedulerHarness.Config(
            [new GroupConfig { Id = GroupConfig.DefaultGroupId, Members = ["a"] }],
            m => m with { ConcurrencyLimit = 2 });
        await using var h = new SchedulerHarness(config, autoStart: false);
        var first = h.Acquire("a");
        var second = h.Acquire("a");

        var third = await h.Acquire("a");

        Assert.Equal(429, third.Status);
        Assert.Equal("concurrency_limit", third.Error!.Code);
        Assert.Equal("Too many requests", third.Error.Message);
        Assert.False(first.IsCompleted || second.IsCompleted, "queued requests count toward the limit");
        await Infrastructure.Eventually.TrueAsync(() => h.Factory.Created.Count == 1, "a start began");
        h.Factory.Latest("a").CompleteStart();
        await h.Granted(first);
        await h.Granted(second);
    }

    [Fact]
    public async Task Cancel_QueuedRequest_ReleasesItsSlotAndNeverStartsItsModel()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"));
        var a = await h.Granted(h.Acquire("a"));
        using var cts = new CancellationTokenSource();
        var pendingB = h.Acquire("b", cts.Token);
        await h.Scheduler.ProbeAsync();

        cts.Cancel();
        var outcome = await pendingB.WaitAsync(TimeSpan.FromSeconds(5));
        h.Scheduler.Release(a.LeaseId);
        await h.Scheduler.ProbeAsync();

        Assert.True(outcome.Cancelled);
        Assert.Equal(0, h.Factory.StartsOf("b"));
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
    }

    [Fact]
    public async Task Ttl_IdleLongerThanTtl_StopsModel()
    {
        var config = SchedulerHarness.Config(
            [new GroupConfig { Id = GroupConfig.DefaultGroupId, Members = ["a"] }],
            m => m with { TtlSeconds = 5 });
        await using var h = new SchedulerHarness(config);
        var lease = await h.Granted(h.Acquire("a"));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.Scheduler.ProbeAsync();
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));

        h.Scheduler.Release(lease.LeaseId);
        await h.Scheduler.ProbeAsync();
        h.Time.Advance(TimeSpan.FromSeconds(4));
        await h.Scheduler.ProbeAsync();
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));

        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.WaitForState("a", ModelStates.Stopped);
    }

    [Fact]
    public async Task StartFailure_FailsWaitersWith500_AndNextRequestRetries()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"), autoStart: false);
        var first = h.Acquire("a");
        var second = h.Acquire("a");
        await Infrastructure.Eventually.TrueAsync(() => h.Factory.Created.Count == 1, "a start began");

        h.Factory.Latest("a").FailStart("health check timed out after 15s");

        var outcomes = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(outcomes, o => Assert.Equal(500, o.Status));
        Assert.All(outcomes, o => Assert.Equal("unspecific error: health check timed out after 15s", o.Error!.Message));
        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));

        var retry = h.Acquire("a");
        await Infrastructure.Eventually.TrueAsync(() => h.Factory.Created.Count == 2, "a second start began");
        h.Factory.Latest("a").CompleteStart();
        await h.Granted(retry);
    }

    [Fact]
    public async Task Unload_WhileRequestsWaitForStart_FailsThemAndStopsModel()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"), autoStart: false);
        var waiting = h.Acquire("a");
        await Infrastructure.Eventually.TrueAsync(() => h.Factory.Created.Count == 1, "a start began");

        await h.Scheduler.UnloadAsync("a").WaitAsync(TimeSpan.FromSeconds(5));

        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(500, outcome.Status);
        Assert.Equal("unspecific error: group: model unloaded", outcome.Error!.Message);
        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
        Assert.True(h.Factory.Latest("a").StopRequested);
    }

    [Fact]
    public async Task UnexpectedExit_MarksStopped_AndNextRequestStartsAgain()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));
        var lease = await h.Granted(h.Acquire("a"));

        h.Factory.Latest("a").Crash();
        await h.WaitForState("a", ModelStates.Stopped);
        h.Scheduler.Release(lease.LeaseId);

        await h.Granted(h.Acquire("a"));
        Assert.Equal(2, h.Factory.StartsOf("a"));
    }

    [Fact]
    public async Task Shutdown_StopsEveryRunningModel_AndRefusesNewRequests()
    {
        var config = SchedulerHarness.Config([new GroupConfig { Id = "pair", Swap = false, Members = ["a", "b"] }]);
        var h = new SchedulerHarness(config);
        await h.Granted(h.Acquire("a"));
        await h.Granted(h.Acquire("b"));

        await h.Scheduler.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(5));
        var late = await h.Acquire("a");

        Assert.All(h.Factory.Created, p => Assert.True(p.StopRequested));
        Assert.Equal(500, late.Status);
        await h.DisposeAsync();
    }

    [Fact]
    public async Task StateChanges_ArePublishedToTheStore()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));
        // The initial "stopped" is published asynchronously at start; subscribe only after it landed.
        await Infrastructure.Eventually.TrueAsync(async () => (await h.Store.GetAllAsync()).Count == 1, "the initial state is published");
        var seen = new List<string>();
        await using var subscription = await h.Store.SubscribeAsync(r =>
        {
            lock (seen)
            {
                seen.Add(r.State);
            }

            return Task.CompletedTask;
        });

        await h.Granted(h.Acquire("a"));
        await h.Scheduler.UnloadAsync("a");

        await Infrastructure.Eventually.TrueAsync(() => { lock (seen) { return seen.Count >= 4; } }, "four transitions published");
        lock (seen)
        {
            Assert.Equal([ModelStates.Starting, ModelStates.Ready, ModelStates.Stopping, ModelStates.Stopped], seen.Take(4));
        }
    }
}
