using System.Diagnostics;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// The README's run command under Aspire: the AppHost with no config serves the demo models, prints
/// the dashboard, brings back a service killed outright, and leaves nothing behind.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AppHostTests(ITestOutputHelper output)
{
    /// <summary>What the README promises for Ctrl+C/SIGTERM: our processes, DCP's and the dashboard all gone.</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AppHost_WithoutConfig_ServesDemoModels_PrintsTheDashboard_AndStopsEveryProcessOnSigterm()
    {
        await using var appHost = await RunningAppHost.StartAsync();
        await appHost.ChatAsync("demo-small");
        var tree = appHost.ProcessesBelow();
        // The banner follows Aspire's own health check of the front door, which may trail ours.
        await Eventually.TrueAsync(
            () => appHost.Output.Contains($"dashboard (Aspire):       {appHost.DashboardUrl}", StringComparison.Ordinal),
            "the banner names the dashboard");
        using (var http = new HttpClient())
        {
            Assert.True((await http.GetAsync(appHost.DashboardUrl)).IsSuccessStatusCode, "the dashboard answers");
        }

        // DCP and its controllers, redis-server, the dashboard, three services (each below `dotnet run`) and the upstream.
        Assert.True(tree.Count >= 10, $"expected the whole stack below the AppHost, found {tree.Count} processes");
        var started = Stopwatch.StartNew();
        PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigTerm);
        Assert.Equal(0, await appHost.WaitForExitAsync());
        await Eventually.TrueAsync(() => tree.All(pid => !ProcFs.IsAlive(pid)), "every process of the stack stopped", ShutdownBound);
        output.WriteLine($"everything stopped {started.ElapsedMilliseconds} ms after SIGTERM");
    }

    [Fact]
    public async Task AppHost_KilledOutright_DcpStopsEverything()
    {
        await using var appHost = await RunningAppHost.StartAsync();
        await appHost.ChatAsync("demo-small");
        var tree = appHost.ProcessesBelow();

        PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigKill);
        await appHost.WaitForExitAsync();

        // DCP watches the AppHost: it stops every resource (SIGTERM: the supervisor stops its upstream), then itself.
        await Eventually.TrueAsync(() => tree.All(pid => !ProcFs.IsAlive(pid)), "DCP stopped every process of the stack", TimeSpan.FromSeconds(40));
    }

    [Theory]
    [InlineData("LlamaSwap.Gateway")]
    [InlineData("LlamaSwap.Supervisor")]
    public async Task Service_KilledOutright_IsRestarted_AndTheFrontDoorServesAgain(string project)
    {
        await using var appHost = await RunningAppHost.StartAsync();
        await appHost.ChatAsync("demo-small");
        var victim = appHost.ServicePid(project);

        var killed = Stopwatch.StartNew();
        PosixSignals.SignalProcess(victim, PosixSignals.SigKill);
        await Eventually.TrueAsync(async () => await appHost.TryChatAsync("demo-small"), "the front door serves again", TimeSpan.FromSeconds(30));
        output.WriteLine($"{project}: served again {killed.ElapsedMilliseconds} ms after kill -9");

        Assert.NotEqual(victim, appHost.ServicePid(project));
        Assert.Contains($"exited unexpectedly (exit code 137)", appHost.Output, StringComparison.Ordinal);
        // One upstream for the one model: none orphaned by the old supervisor, none doubled by the new one.
        Assert.Single(ProcessTree.WithCommandLine("--model demo-small"));
    }
}
