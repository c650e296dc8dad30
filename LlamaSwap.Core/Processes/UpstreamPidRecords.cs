using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Records of spawned upstream process groups under a run directory, so that leftovers of a
/// crashed supervisor can be found and killed (by the next supervisor or by the AppHost).
/// One file per group: <c>&lt;runDirectory&gt;/upstreams/&lt;pid&gt;.json</c>.
/// </summary>
public static partial class UpstreamPidRecords
{
    private const string SubDirectory = "upstreams";

    /// <summary>
    /// Records the group led by <paramref name="pid"/> (spawned by this process for <paramref name="modelId"/>).
    /// Returns false when the process is already gone, so there is nothing to record.
    /// </summary>
    public static bool Write(string runDirectory, int pid, string modelId)
    {
        if (ProcFs.ReadStat(pid) is not { } stat)
        {
            return false;
        }

        var record = new PidRecord(pid, stat.StartTime, modelId, Environment.ProcessId, ProcFs.ReadStat(Environment.ProcessId)?.StartTime ?? 0);
        var directory = Path.Combine(runDirectory, SubDirectory);
        Directory.CreateDirectory(directory);

        // Write-then-rename: a reaper never sees a half-written record.
        var path = RecordPath(runDirectory, pid);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record, PidRecordJson.Default.PidRecord));
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <summary>Removes the record of <paramref name="pid"/>; a missing record is fine.</summary>
    public static void Delete(string runDirectory, int pid)
    {
        try
        {
            File.Delete(RecordPath(runDirectory, pid));
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// Kills (SIGKILL to the group) every recorded process group that is still the same process
    /// (start time checked, so a reused pid is never killed) and deletes the records. Records owned
    /// by another supervisor that is still running are left alone: they are not leftovers.
    /// Returns how many groups were killed.
    /// </summary>
    public static int ReapLeftovers(string runDirectory, ILogger? logger = null)
    {
        var directory = Path.Combine(runDirectory, SubDirectory);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var killed = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            PidRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(File.ReadAllBytes(path), PidRecordJson.Default.PidRecord);
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                logger?.LogWarning(ex, "Ignoring unreadable upstream pid record {Path}", path);
                record = null;
            }

            if (record is not null && OwnerStillRunning(record))
            {
                continue;
            }

            if (record is not null && IsSameGroup(record))
            {
                try
                {
                    if (PosixSignals.SignalGroup(record.Pid, PosixSignals.SigKill))
                    {
                        killed++;
                        logger?.LogWarning("Killed leftover upstream process group {Pid} of model {ModelId}", record.Pid, record.ModelId);
                    }
                }
                catch (Win32Exception ex)
                {
                    logger?.LogWarning(ex, "Could not kill leftover upstream process group {Pid} of model {ModelId}", record.Pid, record.ModelId);
                }
            }

            File.Delete(path);
        }

        return killed;
    }

    private static string RecordPath(string runDirectory, int pid) =>
        Path.Combine(runDirectory, SubDirectory, pid.ToString(CultureInfo.InvariantCulture) + ".json");

    private static bool OwnerStillRunning(PidRecord record) =>
        record.SupervisorPid != Environment.ProcessId
        && ProcFs.ReadStat(record.SupervisorPid) is { State: not 'Z' } owner
        && owner.StartTime == record.SupervisorStartTime;

    /// <summary>
    /// The leader is the recorded process (same start time); or the leader is gone but members of
    /// its group remain. Linux does not hand out a pid that is still some group's id, and a member
    /// started before the leader cannot belong to our group, so members started after it are ours.
    /// </summary>
    private static bool IsSameGroup(PidRecord record)
    {
        if (ProcFs.ReadStat(record.Pid) is { } leader)
        {
            return leader.StartTime == record.StartTime && leader.State != 'Z';
        }

        return ProcFs.GroupMembers(record.Pid).Any(pid => ProcFs.ReadStat(pid) is { } member && member.StartTime >= record.StartTime);
    }

    internal sealed record PidRecord(int Pid, ulong StartTime, string ModelId, int SupervisorPid, ulong SupervisorStartTime);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(PidRecord))]
    internal sealed partial class PidRecordJson : JsonSerializerContext;
}
