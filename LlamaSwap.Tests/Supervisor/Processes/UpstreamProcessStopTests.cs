using System.Globalization;
using LlamaSwap.Core.Processes;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class UpstreamProcessStopTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task StopAsync_UpstreamIgnoresSigterm_IsKilledAfterTheGracefulTimeout()
    {
        var events = Path.Combine(_harness.Directory, "events.jsonl");
        var process = _harness.Create(_harness.TestUpstreamSpec("m1", "--ignore-sigterm", "--events-file", events));
        await process.StartAsync(CancellationToken.None);
        var pid = process.Pid!.Value;
        var graceful = TimeSpan.FromSeconds(1);

        var elapsed = await UpstreamProcessHarness.TimeAsync(() => process.StopAsync(graceful));

        Assert.True(elapsed >= graceful, $"stop escalated after {elapsed}, before the graceful timeout");
        Assert.True(elapsed < graceful + TimeSpan.FromSeconds(3), $"stop took {elapsed}");
        Assert.Equal(137, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
        Assert.False(ProcFs.IsAlive(pid));
        Assert.Contains(UpstreamProcessHarness.ReadJsonLines(events), e => e["event"]!.GetValue<string>() == "sigterm");
    }

    [Fact]
    public async Task StopAsync_WithStopCommand_RunsItWithThePidInsteadOfSigterm()
    {
        var marker = Path.Combine(_harness.Directory, "cmdstop.txt");
        var spec = _harness.TestUpstreamSpec("m1") with
        {
            StopCommand = ["sh", "-c", $"echo stopped-by-cmdstop ${{PID}} > '{marker}'; echo cmdstop-output; kill -TERM ${{PID}}"],
        };
        var process = _harness.Create(spec);
        await process.StartAsync(CancellationToken.None);
        var pid = process.Pid!.Value;

        var elapsed = await UpstreamProcessHarness.TimeAsync(() => process.StopAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal($"stopped-by-cmdstop {pid}", (await File.ReadAllTextAsync(marker)).Trim());
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"cmdStop's SIGTERM should have stopped it well before escalation, took {elapsed}");
        Assert.Equal(0, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
        Assert.Contains("cmdstop-output", _harness.Output.GetHistory("m1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_StopCommandFails_SendsSigtermRatherThanWaitingForTheKill()
    {
        // As `docker stop NAME` does while `docker run` is still pulling: no such container yet.
        var events = Path.Combine(_harness.Directory, "events.jsonl");
        var spec = _harness.TestUpstreamSpec("m1", "--events-file", events) with
        {
            StopCommand = ["sh", "-c", "echo 'Error: No such container: m1' >&2; exit 1"],
        };
        var process = _harness.Create(spec);
        await process.StartAsync(CancellationToken.None);

        var elapsed = await UpstreamProcessHarness.TimeAsync(() => process.StopAsync(TimeSpan.FromSeconds(10)));

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"a failed cmdStop should be followed by SIGTERM at once, took {elapsed}");
        Assert.Equal(0, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
        Assert.Contains(UpstreamProcessHarness.ReadJsonLines(events), e => e["event"]!.GetValue<string>() == "sigterm");
        await Eventually.TrueAsync(() => _harness.Output.GetHistory("m1").Contains("No such container", StringComparison.Ordinal), "cmdStop's error is in the model's log");
    }

    [Fact]
    public async Task StopAsync_StopCommandSucceedsButUpstreamStays_NoSigterm_KilledAfterTheGracefulTimeout()
    {
        var events = Path.Combine(_harness.Directory, "events.jsonl");
        var process = _harness.Create(_harness.TestUpstreamSpec("m1", "--events-file", events) with { StopCommand = ["true"] });
        await process.StartAsync(CancellationToken.None);
        var graceful = TimeSpan.FromSeconds(1);

        var elapsed = await UpstreamProcessHarness.TimeAsync(() => process.StopAsync(graceful));

        Assert.True(elapsed >= graceful, $"stop escalated after {elapsed}, before the graceful timeout");
        Assert.Equal(137, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain(UpstreamProcessHarness.ReadJsonLines(events), e => e["event"]!.GetValue<string>() == "sigterm");
    }

    [Fact]
    public async Task StopAsync_GrandchildInTheGroup_IsKilledToo()
    {
        var port = FreePorts.Next();
        var upstream = string.Join(' ', TestUpstreamBinary.Command(port).Select(word => $"'{word}'"));
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "wrapped",
            // A subshell starts a sleeper that ignores SIGTERM and exits, so the sleeper is orphaned
            // (re-parented to init) but still in the upstream's group: only a group SIGKILL reaches it.
            Command = ["sh", "-c", $"( sh -c \"trap '' TERM; exec sleep 300\" & echo grandchild=$! ); exec {upstream}"],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            CheckEndpoint = "/health",
        });
        await process.StartAsync(CancellationToken.None);
        var pid = process.Pid!.Value;
        var grandchild = 0;
        await Eventually.TrueAsync(() => TryFindGrandchild(out grandchild), "the wrapper printed the grandchild's pid");
        _harness.TrackStray(grandchild);
        Assert.Equal(pid, ProcFs.ReadStat(grandchild)?.ProcessGroupId);

        await process.StopAsync(TimeSpan.FromSeconds(10));

        Assert.False(ProcFs.IsAlive(pid));
        await Eventually.TrueAsync(() => !ProcFs.IsAlive(grandchild), "the grandchild is gone", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Exited_ProcessKilledFromOutside_CompletesWithTheExitCode()
    {
        var process = _harness.Create(_harness.TestUpstreamSpec("m1"));
        await process.StartAsync(CancellationToken.None);
        var pid = process.Pid!.Value;

        PosixSignals.SignalProcess(pid, PosixSignals.SigKill);

        Assert.Equal(137, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(5)));
        Assert.False(File.Exists(_harness.PidRecordPath(pid)), "the pid record is deleted after an unexpected exit");
        await process.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task StopAsync_ConcurrentAndRepeatedCalls_ShareOneStop()
    {
        var events = Path.Combine(_harness.Directory, "events.jsonl");
        var process = _harness.Create(_harness.TestUpstreamSpec("m1", "--events-file", events));
        await process.StartAsync(CancellationToken.None);

        await Task.WhenAll(
            process.StopAsync(TimeSpan.FromSeconds(10)),
            process.StopAsync(TimeSpan.FromSeconds(10)),
            Task.Run(() => process.StopAsync(TimeSpan.FromSeconds(10))));
        await process.StopAsync(TimeSpan.FromSeconds(10)).WaitAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(0, await UpstreamProcessHarness.ExitCodeWithin(process, TimeSpan.FromSeconds(1)));
        Assert.Single(UpstreamProcessHarness.ReadJsonLines(events), e => e["event"]!.GetValue<string>() == "sigterm");
    }

    [Fact]
    public async Task StopAsync_NeverStarted_IsANoOp()
    {
        var process = _harness.Create(_harness.TestUpstreamSpec("m1"));

        await process.StopAsync(TimeSpan.FromSeconds(10)).WaitAsync(TimeSpan.FromSeconds(1));

        Assert.Null(process.Pid);
    }

    private bool TryFindGrandchild(out int pid)
    {
        pid = 0;
        var line = _harness.Output.GetHistory("wrapped").Split('\n').FirstOrDefault(l => l.StartsWith("grandchild=", StringComparison.Ordinal));
        return line is not null && int.TryParse(line["grandchild=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out pid);
    }
}
