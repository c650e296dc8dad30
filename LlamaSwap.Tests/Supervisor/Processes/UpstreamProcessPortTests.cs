using System.Globalization;
using System.Net;
using LlamaSwap.Core.Processes;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>
/// A process squatting on a model's port must not pass for the model: the start fails naming the
/// port and the squatter, before anything is spawned when it was there first, after the health
/// check when it took the port while the upstream was starting.
/// </summary>
public sealed class UpstreamProcessPortTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>How the failures name this process, the squatter in every test here.</summary>
    private static string Squatter => $"pid {Environment.ProcessId}, {ProcFs.CommandName(Environment.ProcessId)}";

    [Fact]
    public async Task StartAsync_PortAlreadyServedByAnImpostor_FailsWithoutSpawningOrTouchingIt()
    {
        await using var impostor = ImpostorServer.Start(IPAddress.Loopback);
        var process = _harness.Create(TestUpstreamOn(impostor.Port));

        var elapsed = await UpstreamProcessHarness.TimeAsync(async () =>
        {
            var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));
            Assert.Equal($"port 127.0.0.1:{impostor.Port} of model \"alpha\" is already in use by another process ({Squatter})", error.Message);
        });

        Assert.Null(process.Pid);
        Assert.True(process.Exited.IsCompleted, "Exited must not hang when nothing was spawned");
        Assert.Equal(0, impostor.Connections);
        Assert.True(elapsed < UpstreamProcess.PortReleaseGrace + TimeSpan.FromSeconds(2), $"the start took {elapsed} to fail");
    }

    [Fact]
    public async Task StartAsync_PortFreedWithinTheGrace_StartsTheUpstream()
    {
        // As the group of a model just stopped can still hold the port for a moment.
        var impostor = ImpostorServer.Start(IPAddress.Loopback);
        var process = _harness.Create(TestUpstreamOn(impostor.Port));

        var start = process.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.Null(process.Pid);
        await impostor.DisposeAsync();

        await start.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(process.Pid);
    }

    [Fact]
    public async Task StartAsync_PortTakenAfterTheSpawn_HealthAnswerFromTheTakerIsRejected()
    {
        // The command is told the port but never listens: whatever answers is not the upstream.
        var port = FreePorts.Next();
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "alpha",
            Command = ["sleep", "60"],
            Env = [new("PORT", port.ToString(CultureInfo.InvariantCulture))],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            CheckEndpoint = "/health",
            HealthCheckTimeout = TimeSpan.FromSeconds(30),
        });

        var start = process.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => process.Pid is not null, "the upstream was spawned");
        await using var impostor = ImpostorServer.Start(IPAddress.Loopback, port);

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => start.WaitAsync(TimeSpan.FromSeconds(30)));

        var pid = process.Pid!.Value;
        Assert.Equal($"port 127.0.0.1:{port} of model \"alpha\" is answered by another process ({Squatter}), not by the upstream we started (pid {pid})", error.Message);
        Assert.True(impostor.Connections > 0, "the health check reached the impostor (that is what is being caught)");
        Assert.True(process.Exited.IsCompleted, "the upstream is stopped when its start fails");
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Ipv6LoopbackFact]
    public async Task StartAsync_ImpostorOnTheOtherLoopbackOfLocalhost_IsCaughtAlthoughTheUpstreamRuns()
    {
        // The upstream binds 127.0.0.1; "localhost" also means ::1, where the impostor sits.
        var port = FreePorts.Next();
        var process = _harness.Create(TestUpstreamOn(port) with { Proxy = new Uri($"http://localhost:{port}") });

        var start = process.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => process.Pid is not null, "the upstream was spawned");
        await using var impostor = ImpostorServer.Start(IPAddress.IPv6Loopback, port);

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => start.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal($"port localhost:{port} of model \"alpha\" is answered by another process ({Squatter}), not by the upstream we started (pid {process.Pid})", error.Message);
        Assert.False(ProcFs.IsAlive(process.Pid!.Value));
    }

    [Fact]
    public async Task StartAsync_TheUpstreamsOwnListener_PassesAndARestartOnTheSamePortToo()
    {
        var spec = TestUpstreamOn(FreePorts.Next());
        var first = _harness.Create(spec);
        await first.StartAsync(CancellationToken.None);
        await first.StopAsync(TimeSpan.FromSeconds(10));

        var second = _harness.Create(spec);
        await second.StartAsync(CancellationToken.None);

        Assert.True(ProcFs.IsAlive(second.Pid!.Value));
    }

    [Fact]
    public async Task StartAsync_ContainerClient_AcceptsAListenerOutsideItsProcessTree()
    {
        // `docker run --network host`: the server listens inside the container, under the engine, never
        // below the client we spawned. The stand-in client is sleep run through a link named docker
        // (the kernel names a process after the file it executed), told the port in its environment.
        var client = Path.Combine(_harness.Directory, "docker");
        File.CreateSymbolicLink(client, UpstreamProcess.ResolveProgram("sleep", Environment.GetEnvironmentVariable("PATH")));
        var port = FreePorts.Next();
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "alpha",
            Command = [client, "60"],
            Env = [new("PORT", port.ToString(CultureInfo.InvariantCulture))],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            CheckEndpoint = "/health",
            HealthCheckTimeout = TimeSpan.FromSeconds(30),
        });

        var start = process.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => process.Pid is { } pid && ProcFs.CommandName(pid) == "docker", "the client runs");
        await using var container = ImpostorServer.Start(IPAddress.Loopback, port);

        await start.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(ProcFs.IsAlive(process.Pid!.Value));
    }

    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task StartAsync_RealLlamaServer_PortAlreadyServedByAnImpostor_FailsNamingThePort(string build)
    {
        await using var impostor = ImpostorServer.Start(IPAddress.Loopback);
        var process = _harness.Create(LlamaServerOn(build, impostor.Port, "127.0.0.1"));

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Equal($"port 127.0.0.1:{impostor.Port} of model \"alpha\" is already in use by another process ({Squatter})", error.Message);
        Assert.Null(process.Pid);
        Assert.Equal(0, impostor.Connections);
    }

    [LlamaServerIpv6Theory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task StartAsync_RealLlamaServer_ImpostorOnTheOtherLoopbackOfLocalhost_IsCaught(string build)
    {
        var port = FreePorts.Next();
        var process = _harness.Create(LlamaServerOn(build, port, "localhost"));

        var start = process.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => process.Pid is not null, "llama-server was spawned");
        await using var impostor = ImpostorServer.Start(IPAddress.IPv6Loopback, port);

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => start.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal($"port localhost:{port} of model \"alpha\" is answered by another process ({Squatter}), not by the upstream we started (pid {process.Pid})", error.Message);
        Assert.False(ProcFs.IsAlive(process.Pid!.Value));
    }

    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task StartAsync_RealLlamaServer_ItsOwnListenerPasses_AlsoRightAfterAStopOnTheSamePort(string build)
    {
        var spec = LlamaServerOn(build, FreePorts.Next(), "127.0.0.1");
        var first = _harness.Create(spec);
        await first.StartAsync(CancellationToken.None);
        await first.StopAsync(TimeSpan.FromSeconds(10));

        var second = _harness.Create(spec);
        await second.StartAsync(CancellationToken.None);

        Assert.True(ProcFs.IsAlive(second.Pid!.Value));
    }

    private static ProcessSpec TestUpstreamOn(int port) => new()
    {
        ModelId = "alpha",
        Command = TestUpstreamBinary.Command(port),
        Proxy = new Uri($"http://127.0.0.1:{port}"),
        CheckEndpoint = "/health",
        HealthCheckTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>llama-server bound to 127.0.0.1 (as the shared README runs it), proxied through <paramref name="proxyHost"/>.</summary>
    private static ProcessSpec LlamaServerOn(string build, int port, string proxyHost) => new()
    {
        ModelId = "alpha",
        Command = SharedLlamaServer.Command(build).Replace("${PORT}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).Split(' '),
        Proxy = new Uri($"http://{proxyHost}:{port}"),
        CheckEndpoint = "/health",
        HealthCheckTimeout = TimeSpan.FromSeconds(60),
    };
}
