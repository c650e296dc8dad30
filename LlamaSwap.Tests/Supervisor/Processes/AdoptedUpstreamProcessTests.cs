using LlamaSwap.Core.Processes;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>A handle on a running group the process layer did not spawn: health, stop and exit without a child handle.</summary>
public sealed class AdoptedUpstreamProcessTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Adopted_AnswersHealth_AndStopEscalatesToSigkillOfAGroupIgnoringSigterm()
    {
        var (spec, record) = await RunningLeftoverAsync("--ignore-sigterm");
        var adopted = _harness.Adopt(spec, record);

        Assert.True(await adopted.AnswersHealthCheckAsync(TimeSpan.FromSeconds(3), CancellationToken.None));
        Assert.Equal(record.Pid, adopted.Pid);
        await Assert.ThrowsAsync<InvalidOperationException>(() => adopted.StartAsync(CancellationToken.None));

        var graceful = TimeSpan.FromSeconds(1);
        var elapsed = await UpstreamProcessHarness.TimeAsync(() => adopted.StopAsync(graceful));

        Assert.True(elapsed >= graceful, $"stop escalated after {elapsed}, before the graceful timeout");
        Assert.True(elapsed < graceful + TimeSpan.FromSeconds(3), $"stop took {elapsed}");
        Assert.False(ProcFs.IsAlive(record.Pid));
        Assert.Equal(-1, await UpstreamProcessHarness.ExitCodeWithin(adopted, TimeSpan.FromSeconds(1)));
        Assert.False(File.Exists(_harness.PidRecordPath(record.Pid)), "the record goes with the process");
    }

    [Fact]
    public async Task Adopted_SeesAnExitItDidNotCause()
    {
        var (spec, record) = await RunningLeftoverAsync();
        var adopted = _harness.Adopt(spec, record);

        PosixSignals.SignalGroup(record.Pid, PosixSignals.SigKill);

        Assert.Equal(-1, await UpstreamProcessHarness.ExitCodeWithin(adopted, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Adopted_StoppedProcess_FailsItsHealthCheckWithinTheBound()
    {
        var (spec, record) = await RunningLeftoverAsync();
        var adopted = _harness.Adopt(spec, record);
        PosixSignals.SignalProcess(record.Pid, 19); // SIGSTOP: alive, answers nothing

        var elapsed = await UpstreamProcessHarness.TimeAsync(async () =>
            Assert.False(await adopted.AnswersHealthCheckAsync(TimeSpan.FromSeconds(1), CancellationToken.None)));

        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"the health check took {elapsed}");
    }

    /// <summary>A test upstream spawned (and recorded) by another handle, as a crashed supervisor leaves one.</summary>
    private async Task<(ProcessSpec Spec, UpstreamPidRecord Record)> RunningLeftoverAsync(params string[] args)
    {
        var spec = _harness.TestUpstreamSpec("m1", args);
        var spawned = _harness.Create(spec);
        await spawned.StartAsync(CancellationToken.None);
        var record = Assert.Single(UpstreamPidRecords.ReadLeftovers(_harness.RunDirectory));
        Assert.Equal(spec.Fingerprint(), record.Fingerprint);
        return (spec, record);
    }
}
