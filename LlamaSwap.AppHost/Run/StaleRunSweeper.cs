using System.Globalization;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// Each AppHost keeps a run directory <c>&lt;tmp&gt;/llamaswap-&lt;pid&gt;</c> with pid records of its
/// children (and the supervisor's records of upstreams). An AppHost that died without cleaning up
/// (SIGKILL) leaves it behind: the next AppHost kills whatever those records still point at.
/// The services themselves already stop when their parent is gone; this catches the rest (Redis,
/// and upstreams of a supervisor that was killed too).
/// </summary>
internal static partial class StaleRunSweeper
{
    private const string Prefix = "llamaswap-";

    public static string RunDirectoryOf(int appHostPid)
        => Path.Combine(Path.GetTempPath(), Prefix + appHostPid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Where the AppHost records its own children (the supervisor's records live in the run directory itself).</summary>
    public static string ChildRecordsOf(string runDirectory) => Path.Combine(runDirectory, "children");

    public static void Sweep(ILogger logger)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var suffix = Path.GetFileName(directory)[Prefix.Length..];
            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId
                || ProcFs.IsAlive(pid))
            {
                // Not a run directory, or its AppHost (or whatever reuses the pid) is alive: leave it.
                continue;
            }

            try
            {
                var killed = UpstreamPidRecords.ReapLeftovers(ChildRecordsOf(directory), logger)
                    + UpstreamPidRecords.ReapLeftovers(directory, logger);
                Directory.Delete(directory, recursive: true);
                Log.Swept(logger, directory, killed);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.SweepFailed(logger, directory, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Cleaned up after an AppHost that did not stop cleanly: {Directory} ({Killed} process group(s) killed)")]
        public static partial void Swept(ILogger logger, string directory, int killed);

        [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Could not clean up {Directory}: {Reason}")]
        public static partial void SweepFailed(ILogger logger, string directory, string reason);
    }
}
