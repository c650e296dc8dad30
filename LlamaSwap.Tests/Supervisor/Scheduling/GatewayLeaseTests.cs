using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>Leases of a gateway that went silent (crashed mid-response) are released after a timeout.</summary>
public sealed class GatewayLeaseTests
{
    [Fact]
    public async Task SilentGateway_ItsLeasesAreReleased_AndTheModelCanBeSwappedOut()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"), gatewayTimeout: TimeSpan.FromSeconds(5));
        var orphaned = await h.Granted(h.Scheduler.AcquireAsync("a", "r1", CancellationToken.None, gateway: "gw-dead"));
        var b = h.Acquire("b");
        await h.Scheduler.ProbeAsync();
        Assert.False(b.IsCompleted, "a is serving the dead gateway's request");

        h.Time.Advance(TimeSpan.FromSeconds(6));

        await h.Granted(b);
        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
        // The gateway's own late release (if it ever comes) is a no-op.
        h.Scheduler.Release(orphaned.LeaseId);
        await h.Scheduler.ProbeAsync();
    }

    [Fact]
    public async Task HeartbeatingGateway_KeepsItsLeases()
    {
        await using var h = new SchedulerHarness(SchedulerHarness.OneAtATime("a", "b"), gatewayTimeout: TimeSpan.FromSeconds(5));
        var lease = await h.Granted(h.Scheduler.AcquireAsync("a", "r1", CancellationToken.None, gateway: "gw-alive"));
        var b = h.Acquire("b");

        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(3));
            h.Scheduler.GatewayAlive("gw-alive");
            await h.Scheduler.ProbeAsync();
        }

        Assert.False(b.IsCompleted, "a long response from a live gateway is never cut short");
        h.Scheduler.Release(lease.LeaseId);
        await h.Granted(b);
    }
}
