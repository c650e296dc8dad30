using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Processes;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class UpstreamProcessStartTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task StartAsync_HealthyUpstream_IsReadyInItsOwnProcessGroupAndStopsGracefully()
    {
        var spec = _harness.TestUpstreamSpec("m1");
        var process = _harness.Create(spec);

        await process.StartAsync(CancellationToken.None);

        var pid = Assert.NotNull(process.Pid);
        Assert.Equal(pid, ProcFs.ReadStat(pid)?.ProcessGroupId);
        Assert.True(File.Exists(_harness.PidRecordPath(pid)), "a pid record is written for crash cleanup");
        using (var client = new HttpClient())
        {
            var models = await client.GetFromJsonAsync<JsonObject>(new Uri(spec.Proxy, "/v1/models"));
            Assert.Equal("test-model", models!["data"]![0]!["id"]!.GetValue<string>());
        }

        var elapsed = await UpstreamProcessHarness.TimeAsync(() => process.StopAsync(TimeSpan.FromSeconds(10)));

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"graceful stop took {elapsed}");
        Assert.Equal(0, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
        Assert.False(ProcFs.IsAlive(pid));
        Assert.False(File.Exists(_harness.PidRecordPath(pid)), "the pid record is deleted after exit");
    }

    [Fact]
    public async Task StartAsync_UpstreamBecomesHealthyLate_NoticesWithin100Milliseconds()
    {
        var events = Path.Combine(_harness.Directory, "events.jsonl");
        var process = _harness.Create(_harness.TestUpstreamSpec("m1", "--startup-delay-ms", "700", "--events-file", events));

        await process.StartAsync(CancellationToken.None);
        var noticed = DateTime.UtcNow;

        var healthy = UpstreamProcessHarness.ReadJsonLines(events).Single(e => e["event"]!.GetValue<string>() == "healthy");
        var healthyAt = DateTime.Parse(healthy["time"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var gap = noticed - healthyAt;
        // Polled every 10 ms, then the port's owner is checked: well under 100 ms even on a loaded
        // 2-core machine (CI saw 52 ms), where llama-swap's first poll alone comes after 250 ms.
        Assert.True(gap < TimeSpan.FromMilliseconds(100), $"readiness noticed {gap.TotalMilliseconds:0.0} ms after the first healthy answer");
    }

    [Fact]
    public async Task StartAsync_NeverHealthy_TimesOutWithGoDurationAndKillsTheProcess()
    {
        var spec = _harness.TestUpstreamSpec("m1", "--startup-delay-ms", "60000") with { HealthCheckTimeout = TimeSpan.FromSeconds(1) };
        var process = _harness.Create(spec);

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Equal("health check timed out after 1s", error.Message);
        var pid = Assert.NotNull(process.Pid);
        Assert.True(process.Exited.IsCompleted, "the process has exited by the time StartAsync throws");
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task StartAsync_HealthDeadline_RunsOnTheInjectedClock()
    {
        var clock = new ManualTimeProvider();
        await using var harness = new UpstreamProcessHarness(clock);
        var process = harness.Create(harness.TestUpstreamSpec("m1", "--startup-delay-ms", "60000") with { HealthCheckTimeout = TimeSpan.FromMinutes(2) });

        // Spawning and arming the deadline happen before StartAsync first yields.
        var start = process.StartAsync(CancellationToken.None);
        Assert.NotNull(process.Pid);
        clock.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => start.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("health check timed out after 2m0s", error.Message);
        Assert.False(ProcFs.IsAlive(process.Pid!.Value));
    }

    [Fact]
    public async Task StartAsync_CommandExitsBeforeReady_FailsAsExitedPrematurely()
    {
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "m1",
            Command = ["sh", "-c", "exit 3"],
            Proxy = new Uri($"http://127.0.0.1:{FreePorts.Next()}"),
            CheckEndpoint = "/health",
        });

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Equal("upstream command exited prematurely (exit code 3)", error.Message);
        Assert.Equal(3, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData("/nonexistent/llama-server", "failed to start command '/nonexistent/llama-server --port 1': fork/exec /nonexistent/llama-server: no such file or directory")]
    [InlineData("no-such-llama-server-binary", "failed to start command 'no-such-llama-server-binary --port 1': exec: \"no-such-llama-server-binary\": executable file not found in $PATH")]
    public async Task StartAsync_UnknownBinary_FailsToStart(string program, string expected)
    {
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "m1",
            Command = [program, "--port", "1"],
            Proxy = new Uri("http://127.0.0.1:1"),
            CheckEndpoint = "/health",
        });

        var error = await Assert.ThrowsAsync<UpstreamStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Equal(expected, error.Message);
        Assert.Null(process.Pid);
        Assert.True(process.Exited.IsCompleted, "Exited must not hang when nothing was spawned");
    }

    [Fact]
    public async Task StartAsync_Cancelled_KillsTheGroupAndThrowsOperationCanceled()
    {
        var process = _harness.Create(_harness.TestUpstreamSpec("m1", "--startup-delay-ms", "60000"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => process.StartAsync(cancellation.Token));

        var pid = Assert.NotNull(process.Pid);
        Assert.True(process.Exited.IsCompleted);
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task StartAsync_WithoutCheckEndpoint_IsReadyRightAfterSpawn()
    {
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "m1",
            Command = ["sleep", "300"],
            Proxy = new Uri("http://127.0.0.1:1"),
            CheckEndpoint = null,
        });

        var elapsed = await UpstreamProcessHarness.TimeAsync(() => process.StartAsync(CancellationToken.None));

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"start took {elapsed}");
        Assert.True(ProcFs.IsAlive(process.Pid!.Value));
    }

    [Fact]
    public async Task StartAsync_SpecEnvironment_IsAddedToTheInheritedOneWithLaterEntriesWinning()
    {
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "env-model",
            Command = ["sh", "-c", "echo \"A=$LLAMASWAP_TEST_A PATH_SET=${PATH:+yes}\"; exec sleep 300"],
            Env = [new("LLAMASWAP_TEST_A", "first"), new("LLAMASWAP_TEST_A", "second")],
            Proxy = new Uri("http://127.0.0.1:1"),
        });

        await process.StartAsync(CancellationToken.None);

        await Eventually.TrueAsync(
            () => _harness.Output.GetHistory("env-model").Contains("A=second PATH_SET=yes", StringComparison.Ordinal),
            "the upstream printed its environment");
    }
}
