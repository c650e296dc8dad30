using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Model;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Resilience;

/// <summary>
/// Stops the services before the AppHost exits, front door first, each with SIGTERM and a bounded
/// grace period, then reaps any upstream a supervisor could not stop and removes the run directory. Left to DCP, teardown starts
/// only after the AppHost is gone and takes about 13 s here, one resource after another; in that
/// order no new request reaches a half-stopped back end, and the supervisor still stops its
/// upstreams itself.
/// </summary>
internal sealed partial class OrderlyShutdown(
    ResourceNotificationService notifications,
    StackSettings settings,
    TimeProvider timeProvider,
    ILogger<OrderlyShutdown> logger) : IHostedService
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly string[] StopOrder = [ResourceNames.AuthProxy, ResourceNames.Gateway, ResourceNames.Supervisor];

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var name in StopOrder)
        {
            foreach (var pid in ServiceProcesses.Of(notifications, name))
            {
                await StopAsync(name, pid);
            }
        }

        // A supervisor that had to be killed could not stop its upstreams: their records say what is left.
        var reaped = UpstreamPidRecords.ReapLeftovers(settings.RunDirectory, logger);
        if (reaped > 0)
        {
            Log.ReapedUpstreams(logger, reaped);
        }

        Log.Stopped(logger, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        TryDeleteRunDirectory();
    }

    /// <summary>The demo config and the pid records: nothing in it outlives the services.</summary>
    private void TryDeleteRunDirectory()
    {
        try
        {
            Directory.Delete(settings.RunDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: the host may stop its services twice (StopAsync, then disposal).
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.RunDirectoryKept(logger, settings.RunDirectory, ex.Message);
        }
    }

    private async Task StopAsync(string name, int pid)
    {
        PosixSignals.SignalProcess(pid, PosixSignals.SigTerm);
        var deadline = timeProvider.GetUtcNow() + GracePeriod;
        while (ProcFs.IsAlive(pid))
        {
            if (timeProvider.GetUtcNow() >= deadline)
            {
                Log.Killed(logger, name, pid, (int)GracePeriod.TotalSeconds);
                PosixSignals.SignalProcess(pid, PosixSignals.SigKill);
                return;
            }

            await Task.Delay(PollInterval, timeProvider);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 80, Level = LogLevel.Information, Message = "Services stopped in {ElapsedMs} ms")]
        public static partial void Stopped(ILogger logger, int elapsedMs);

        [LoggerMessage(EventId = 81, Level = LogLevel.Warning, Message = "{Resource} (pid {Pid}) did not stop within {Seconds} s of SIGTERM: killed")]
        public static partial void Killed(ILogger logger, string resource, int pid, int seconds);

        [LoggerMessage(EventId = 83, Level = LogLevel.Warning, Message = "Could not delete {Directory}: {Reason}")]
        public static partial void RunDirectoryKept(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Killed {Count} upstream process group(s) a stopped supervisor left behind")]
        public static partial void ReapedUpstreams(ILogger logger, int count);
    }
}
