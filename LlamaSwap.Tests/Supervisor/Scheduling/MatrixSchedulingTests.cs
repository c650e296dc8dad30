using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>The scheduler under the matrix router (llama-swap's "Matrix:" router tests).</summary>
public sealed class MatrixSchedulingTests
{
    private const string Yaml = """
        models:
          a: { cmd: "svr ${PORT}" }
          b: { cmd: "svr ${PORT}" }
          c: { cmd: "svr ${PORT}" }
        routing:
          router:
            use: matrix
            settings:
              matrix:
                sets:
                  pair: "a & b"
                  solo: c
        """;

    private static LlamaSwapConfig Config(string yaml = Yaml)
    {
        var result = ConfigLoader.LoadYaml(yaml, new Dictionary<string, string>());
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config!;
    }

    [Fact]
    public async Task Acquire_ModelsSharingASet_LoadInParallelWithoutEviction()
    {
        await using var h = new SchedulerHarness(Config(), autoStart: false);

        var a = h.Acquire("a");
        var b = h.Acquire("b");

        // Both starts are under way before either finishes: the second did not wait for the first.
        await Infrastructure.Eventually.TrueAsync(() => h.Factory.Created.Count == 2, "a and b are both starting");
        h.Factory.Latest("a").CompleteStart();
        h.Factory.Latest("b").CompleteStart();
        await h.Granted(a);
        await h.Granted(b);
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
        Assert.False(h.Factory.Latest("a").StopRequested);
    }

    [Fact]
    public async Task Acquire_IncompatibleModel_QueuesUntilTheFirstFinishes_ThenEvictsIt()
    {
        await using var h = new SchedulerHarness(Config());
        var a = await h.Granted(h.Acquire("a"));
        h.Scheduler.Release((await h.Granted(h.Acquire("b"))).LeaseId);

        var pendingC = h.Acquire("c");
        await h.Scheduler.ProbeAsync();
        Assert.False(pendingC.IsCompleted, "c must wait while a serves a request");
        Assert.Equal(ModelStates.Ready, h.StateOf("a"));

        h.Scheduler.Release(a.LeaseId);
        await h.Granted(pendingC);

        Assert.Equal(ModelStates.Stopped, h.StateOf("a"));
        Assert.Equal(ModelStates.Stopped, h.StateOf("b"));
        Assert.Equal(ModelStates.Ready, h.StateOf("c"));
    }

    [Fact]
    public async Task Acquire_KeepsTheModelThatIsCostlierToEvict()
    {
        await using var h = new SchedulerHarness(Config("""
            models:
              a: { cmd: "svr ${PORT}" }
              b: { cmd: "svr ${PORT}" }
              c: { cmd: "svr ${PORT}" }
            matrix:
              evict_costs: { c: 10 }
              sets:
                ab: "a & b"
                ac: "a & c"
                bc: "b & c"
            """));
        h.Scheduler.Release((await h.Granted(h.Acquire("b"))).LeaseId);
        h.Scheduler.Release((await h.Granted(h.Acquire("c"))).LeaseId);

        await h.Granted(h.Acquire("a"));

        // ab (evict c, cost 10) comes first but ac (evict b, cost 1) is cheaper.
        Assert.Equal(ModelStates.Stopped, h.StateOf("b"));
        Assert.Equal(ModelStates.Ready, h.StateOf("c"));
    }

    [Fact]
    public async Task Reconfigure_FromGroupsToMatrix_ThePlannerFollowsTheNewConfig()
    {
        // One at a time under the groups router: b evicts a.
        await using var h = new SchedulerHarness(Config("""
            models:
              a: { cmd: "svr ${PORT}" }
              b: { cmd: "svr ${PORT}" }
              c: { cmd: "svr ${PORT}" }
            """));
        h.Scheduler.Release((await h.Granted(h.Acquire("a"))).LeaseId);

        await h.Scheduler.ReconfigureAsync(Config());
        await h.Granted(h.Acquire("b"));

        Assert.Equal(ModelStates.Ready, h.StateOf("a"));
        Assert.Equal(ModelStates.Ready, h.StateOf("b"));
    }
}
