using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Records of spawned upstream process groups under a run directory, so that leftovers of a
/// crashed supervisor can be found: adopted or killed by the next supervisor, killed by the AppHost.
/// One file per group: <c>&lt;runDirectory&gt;/upstreams/&lt;pid&gt;.json</c>.
/// </summary>
public static partial class UpstreamPidRecords
{
    private const string SubDirectory = "upstreams";

    /// <summary>
    /// Records the group led by <paramref name="pid"/> (spawned by this process for <paramref name="modelId"/>).
    /// <paramref name="fingerprint"/> identifies what it was started with (see <see cref="UpstreamPidRecord.Fingerprint"/>).
    /// Returns false when the process is already gone, so there is nothing to record.
    /// </summary>
    public static bool Write(string runDirectory, int pid, string modelId, string? fingerprint = null)
    {
        if (ProcFs.ReadStat(pid) is not { } stat)
        {
            return false;
        }

        WriteRecord(runDirectory, new UpstreamPidRecord(pid, stat.StartTime, modelId, 0, 0) { Fingerprint = fingerprint });
        return true;
    }

    /// <summary>
    /// Makes this process the owner of <paramref name="record"/> (a leftover it adopts), so no other
    /// supervisor takes it for a leftover while this one runs.
    /// </summary>
    public static void Claim(string runDirectory, UpstreamPidRecord record) => WriteRecord(runDirectory, record);

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
        => ReadLeftovers(runDirectory, logger).Count(record => Kill(runDirectory, record, logger));

    /// <summary>
    /// The records whose owner is no longer running (unreadable records are logged and deleted).
    /// The processes may or may not still run: see <see cref="UpstreamPidRecord.IsLeaderAlive"/>.
    /// </summary>
    public static IReadOnlyList<UpstreamPidRecord> ReadLeftovers(string runDirectory, ILogger? logger = null)
    {
        var directory = Path.Combine(runDirectory, SubDirectory);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var leftovers = new List<UpstreamPidRecord>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            UpstreamPidRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(File.ReadAllBytes(path), PidRecordJson.Default.UpstreamPidRecord);
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                logger?.LogWarning(ex, "Ignoring unreadable upstream pid record {Path}", path);
                record = null;
            }

            if (record is null)
            {
                File.Delete(path);
            }
            else if (!OwnerStillRunning(record))
            {
                leftovers.Add(record);
            }
        }

        return leftovers;
    }

    /// <summary>
    /// SIGKILLs the recorded group if it is still the recorded one (never a reused pid) and deletes
    /// the record. True when a signal was delivered.
    /// </summary>
    public static bool Kill(string runDirectory, UpstreamPidRecord record, ILogger? logger = null)
    {
        var killed = false;
        if (IsSameGroup(record))
        {
            try
            {
                if (PosixSignals.SignalGroup(record.Pid, PosixSignals.SigKill))
                {
                    killed = true;
                    logger?.LogWarning("Killed leftover upstream process group {Pid} of model {ModelId}", record.Pid, record.ModelId);
                }
            }
            catch (Win32Exception ex)
            {
                logger?.LogWarning(ex, "Could not kill leftover upstream process group {Pid} of model {ModelId}", record.Pid, record.ModelId);
            }
        }

        Delete(runDirectory, record.Pid);
        return killed;
    }

    /// <summary>Writes <paramref name="record"/> as owned by this process.</summary>
    private static void WriteRecord(string runDirectory, UpstreamPidRecord record)
    {
        var owned = record with
        {
            SupervisorPid = Environment.ProcessId,
            SupervisorStartTime = ProcFs.ReadStat(Environment.ProcessId)?.StartTime ?? 0,
        };
        var directory = Path.Combine(runDirectory, SubDirectory);
        Directory.CreateDirectory(directory);

        // Write-then-rename: a reaper never sees a half-written record.
        var path = RecordPath(runDirectory, record.Pid);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(owned, PidRecordJson.Default.UpstreamPidRecord));
        File.Move(temporary, path, overwrite: true);
    }

    private static string RecordPath(string runDirectory, int pid) =>
        Path.Combine(runDirectory, SubDirectory, pid.ToString(CultureInfo.InvariantCulture) + ".json");

    private static bool OwnerStillRunning(UpstreamPidRecord record) =>
        record.SupervisorPid != Environment.ProcessId
        && ProcFs.ReadStat(record.SupervisorPid) is { State: not 'Z' } owner
        && owner.StartTime == record.SupervisorStartTime;

    /// <summary>
    /// The leader is the recorded process (same start time); or the leader is gone but members of
    /// its group remain. Linux does not hand out a pid that is still some group's id, and a member
    /// started before the leader cannot belong to our group, so members started after it are ours.
    /// </summary>
    private static bool IsSameGroup(UpstreamPidRecord record)
    {
        if (ProcFs.ReadStat(record.Pid) is { } leader)
        {
            return leader.StartTime == record.StartTime && leader.State != 'Z';
        }

        return ProcFs.GroupMembers(record.Pid).Any(pid => ProcFs.ReadStat(pid) is { } member && member.StartTime >= record.StartTime);
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(UpstreamPidRecord))]
    internal sealed partial class PidRecordJson : JsonSerializerContext;
}
