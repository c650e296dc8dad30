using System.Globalization;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Each launcher (the AppHost, the llamaswap CLI) keeps a run directory <c>&lt;tmp&gt;/llamaswap-&lt;pid&gt;</c> with the demo config and
/// the supervisor's pid records of upstreams. A launcher killed outright leaves it behind: DCP then
/// stops the services and Redis, and a supervisor stops its upstreams on that SIGTERM; if it was
/// killed too, its upstreams are left, and the next launcher kills whatever the records still point at.
/// </summary>
public static partial class StaleRunSweeper
{
    private const string Prefix = "llamaswap-";

    public static string RunDirectoryOf(int appHostPid)
        => Path.Combine(Path.GetTempPath(), Prefix + appHostPid.ToString(CultureInfo.InvariantCulture));

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
                var killed = UpstreamPidRecords.ReapLeftovers(directory, logger);
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
        [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Cleaned up after a launcher that did not stop cleanly: {Directory} ({Killed} process group(s) killed)")]
        public static partial void Swept(ILogger logger, string directory, int killed);

        [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Could not clean up {Directory}: {Reason}")]
        public static partial void SweepFailed(ILogger logger, string directory, string reason);
    }
}
