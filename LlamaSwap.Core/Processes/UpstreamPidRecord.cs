namespace LlamaSwap.Core.Processes;

/// <summary>
/// One recorded upstream process group, as <see cref="UpstreamPidRecords"/> stores it: the group's
/// leader (pid + start time identify it across pid reuse), the model it serves and the supervisor
/// that owns it.
/// </summary>
/// <param name="StartTime">The leader's start time (proc(5) field 22).</param>
/// <param name="SupervisorStartTime">The owner's start time, so a reused owner pid does not count as the owner.</param>
public sealed record UpstreamPidRecord(int Pid, ulong StartTime, string ModelId, int SupervisorPid, ulong SupervisorStartTime)
{
    /// <summary>
    /// Identifies what the process was started with (command, environment, address): a later
    /// supervisor adopts it only while the model's config still yields the same. Null in records
    /// written without one (they are never adopted).
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>True while the recorded leader itself runs (same start time, not a zombie).</summary>
    public bool IsLeaderAlive()
        => ProcFs.ReadStat(Pid) is { State: not 'Z' and not 'X' } leader && leader.StartTime == StartTime;
}
