using LlamaSwap.Core.Processes;

namespace LlamaSwap.Supervisor.Processes;

// Adoption: a handle on a group that a previous (crashed) supervisor spawned and left serving.
internal sealed partial class UpstreamProcess
{
    /// <summary>
    /// How often an adopted upstream's leader is looked up in /proc: it is not our child, so there is
    /// no exit to wait on. This bounds how late its exit is noticed.
    /// </summary>
    internal static readonly TimeSpan AdoptedExitPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A handle on the running group of <paramref name="record"/>. It counts as started
    /// (<see cref="StartAsync"/> throws) and stops like a spawned one: cmdStop or SIGTERM to the group,
    /// a bounded wait, then SIGKILL. Its exit is seen by polling /proc for the recorded leader (pid
    /// and start time), reported with code -1 (only a parent learns the real one). Its output is not
    /// captured: the pipes it writes to belonged to the supervisor that spawned it.
    /// </summary>
    public static UpstreamProcess Adopt(
        ProcessSpec spec, UpstreamPidRecord record, HttpClient healthClient, UpstreamOutput output, TimeProvider timeProvider, string runDirectory, ILogger logger)
    {
        var process = new UpstreamProcess(spec, healthClient, output, timeProvider, runDirectory, logger)
        {
            Pid = record.Pid,
            _startCalled = 1,
        };
        _ = process.WatchAdoptedExitAsync(record);
        return process;
    }

    /// <summary>Whether the upstream answers its health check within <paramref name="bound"/> (true when it has none).</summary>
    public async Task<bool> AnswersHealthCheckAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        try
        {
            await WaitUntilHealthyAsync(_timeProvider.GetTimestamp(), bound, cancellationToken);
            return true;
        }
        catch (UpstreamStartException)
        {
            return false;
        }
    }

    private async Task WatchAdoptedExitAsync(UpstreamPidRecord record)
    {
        while (record.IsLeaderAlive())
        {
            await Task.Delay(AdoptedExitPollInterval, _timeProvider);
        }

        await OnExitedAsync(record.Pid, -1);
    }
}
