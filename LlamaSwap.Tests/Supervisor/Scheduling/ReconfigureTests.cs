using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>Reload without collateral damage: only what changed is stopped.</summary>
public sealed class ReconfigureTests
{
    private static LlamaSwapConfig Trio(Func<ModelConfig, ModelConfig>? adjust = null)
        => SchedulerHarness.Config([new GroupConfig { Id = "all", Swap = false, Members = ["a", "b", "c"] }], adjust);

    [Fact]
    public async Task Reconfigure_ChangedCommand_RestartsOnlyThatModel()
    {
        await using var h = new SchedulerHarness(Trio());
        foreach (var model in new[] { "a", "b", "c" })
        {
            h.Scheduler.Release((await h.Granted(h.Acquire(model))).LeaseId);
        }

        var next = Trio(m => m.Id == "a" ? m with { Command = ["fake", "a", "--changed"] } : m);
        var summary = await h.Scheduler.ReconfigureAsync(next);

        Assert.Equal(["a"], summary.Restarted);
        Assert.Equal(["b", "c"], summary.Kept);
        await h.WaitForState("a", ModelStates.Stopped);
        Assert.False(h.Factory.Latest("b").StopRequested);
        Assert.False(h.Factory.Latest("c").StopRequested);

        await h.Granted(h.Acquire("a"));
        Assert.Equal(["fake", "a", "--changed"], h.Factory.Latest("a").Spec.Command);
        Assert.Equal(1, h.Factory.StartsOf("b"));
    }

    [Fact]
    public async Task Reconfigure_SettingsThatDoNotDefineTheProcess_ApplyWithoutARestart()
    {
        await using var h = new SchedulerHarness(Trio());
        var lease = await h.Granted(h.Acquire("a"));

        var summary = await h.Scheduler.ReconfigureAsync(Trio(m => m with { TtlSeconds = 300, ConcurrencyLimit = 1, Aliases = ["alpha"] }));
        h.Scheduler.Release(lease.LeaseId);

        Assert.Empty(summary.Restarted);
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.False(h.Factory.Latest("a").StopRequested);
        Assert.Equal(300, h.Scheduler.Snapshot().Single(r => r.Model == "a").Ttl);
    }

    [Fact]
    public async Task Reconfigure_RemovedModel_IsStoppedAndRefused_AddedModelServes()
    {
        await using var h = new SchedulerHarness(Trio());
        var inFlight = await h.Granted(h.Acquire("c"));
        var next = SchedulerHarness.Config([new GroupConfig { Id = "all", Swap = false, Members = ["a", "b", "d"] }]);

        var summary = await h.Scheduler.ReconfigureAsync(next);

        Assert.Equal(["c"], summary.Removed);
        Assert.Equal(["d"], summary.Added);
        await Infrastructure.Eventually.TrueAsync(() => h.Factory.Latest("c").StopRequested, "c's process is being stopped");
        var refused = await h.Acquire("c");
        Assert.Equal(404, refused.Status);
        // A lease on the removed model may still come back; it must be a no-op.
        h.Scheduler.Release(inFlight.LeaseId);
        await h.Granted(h.Acquire("d"));
        await Infrastructure.Eventually.TrueAsync(() => h.Scheduler.Snapshot().All(r => r.Model != "c"), "c is forgotten once stopped");
    }

    [Fact]
    public async Task Reconfigure_QueuedRequestForRestartedModel_IsServedByTheNewProcess()
    {
        var config = SchedulerHarness.Config([new GroupConfig { Id = "one", Members = ["a", "b"] }]);
        await using var h = new SchedulerHarness(config);
        var a = await h.Granted(h.Acquire("a"));
        var b = h.Acquire("b");
        await h.Scheduler.ProbeAsync();

        var next = SchedulerHarness.Config([new GroupConfig { Id = "one", Members = ["a", "b"] }],
            m => m.Id == "b" ? m with { Env = [new("NEW", "1")] } : m);
        await h.Scheduler.ReconfigureAsync(next);
        h.Scheduler.Release(a.LeaseId);

        await h.Granted(b);
        Assert.Equal([new KeyValuePair<string, string>("NEW", "1")], h.Factory.Latest("b").Spec.Env);
    }
}
