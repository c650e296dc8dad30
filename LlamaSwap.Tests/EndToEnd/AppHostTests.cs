using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>The README's run command: the AppHost with no config serves the demo models, and leaves nothing behind.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AppHostTests
{
    [Fact]
    public async Task AppHost_WithoutConfig_ServesDemoModels_AndStopsEveryProcessOnSigterm()
    {
        await using var appHost = await RunningAppHost.StartAsync();
        await appHost.ChatAsync("demo-small");
        var tree = ProcessTree.Descendants(appHost.Pid);
        // redis-server, supervisor, gateway, auth proxy and the demo model's upstream at least.
        Assert.True(tree.Count >= 5, $"expected the whole stack under the AppHost, found {tree.Count} processes");

        PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigTerm);
        var exitCode = await appHost.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        Assert.All(tree, pid => Assert.False(ProcFs.IsAlive(pid), $"process {pid} outlived the AppHost\n{appHost.Output}"));
    }

    [Fact]
    public async Task AppHost_KilledOutright_ServicesStopThemselves_AndTheNextAppHostKillsWhatIsLeft()
    {
        IReadOnlyList<int> tree;
        int redisPid;
        await using (var first = await RunningAppHost.StartAsync())
        {
            await first.ChatAsync("demo-small");
            tree = ProcessTree.Descendants(first.Pid);
            redisPid = tree.Single(pid => ProcessTree.CommandLine(pid).Contains("redis-server", StringComparison.Ordinal)
                || ProcessTree.CommandLine(pid).Contains("garnet", StringComparison.Ordinal));

            PosixSignals.SignalProcess(first.Pid, PosixSignals.SigKill);
            await first.WaitForExitAsync();
        }

        // The services notice their parent is gone and stop, the supervisor stopping its upstream.
        await Eventually.TrueAsync(
            () => tree.Where(pid => pid != redisPid).All(pid => !ProcFs.IsAlive(pid)),
            "every service and upstream stopped without the AppHost", TimeSpan.FromSeconds(30));
        Assert.True(ProcFs.IsAlive(redisPid), "Redis cannot watch its parent: it is left for the next AppHost");

        await using var second = await RunningAppHost.StartAsync();
        await Eventually.TrueAsync(() => !ProcFs.IsAlive(redisPid), "the next AppHost killed the leftover Redis");
        PosixSignals.SignalProcess(second.Pid, PosixSignals.SigTerm);
        Assert.Equal(0, await second.WaitForExitAsync());
    }
}
