using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Model;
using LlamaSwap.Core.Configuration.Reporting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Resilience;

/// <summary>
/// Brings back a resource that dies: Aspire reports the exit, this waits a short, growing delay and
/// runs the resource's own start command (the dashboard's "Start"). A resource stopped on purpose
/// (from the dashboard, or because the AppHost is stopping) stays stopped. One that dies before it
/// was ever healthy is a start-up failure (a bad config, a busy port): the AppHost reports it and
/// stops, as a restart would only fail the same way. One that refused its config
/// (<see cref="StartupConfig.RefusedExitCode"/>: the config was changed while the stack ran, then
/// the service crashed) is not restarted either: it would list the same errors again on every try.
/// </summary>
internal sealed partial class CrashRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<CrashRestarter> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>A resource healthy this long after a restart starts over at <see cref="FirstDelay"/>.</summary>
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Watched> _resources = new(StringComparer.Ordinal);

    /// <summary>True when a resource failed before it was ever healthy: the AppHost's exit code says so.</summary>
    public bool FailedAtStart { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource.Name is ResourceNames.Redis or ResourceNames.Supervisor or ResourceNames.Gateway or ResourceNames.AuthProxy)
                {
                    Observe(update, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Observe(ResourceEvent update, CancellationToken stoppingToken)
    {
        var snapshot = update.Snapshot;
        var state = snapshot.State?.Text;
        var watched = _resources.TryGetValue(update.ResourceId, out var known) ? known : new Watched();
        _resources[update.ResourceId] = watched;

        if (state == KnownResourceStates.Running && snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
        {
            if (!watched.EverHealthy || watched.Restarting)
            {
                watched.HealthySince = timeProvider.GetUtcNow();
            }

            watched.EverHealthy = true;
            watched.Restarting = false;
            return;
        }

        if (state == KnownResourceStates.Stopping)
        {
            watched.StopRequested = true;
            return;
        }

        if (state == KnownResourceStates.Starting || state == KnownResourceStates.Waiting)
        {
            // A restart under way: if this instance dies too, it is restarted again (after a longer delay).
            watched.StopRequested = false;
            watched.Restarting = false;
            return;
        }

        var ended = state == KnownResourceStates.Exited || state == KnownResourceStates.Finished || state == KnownResourceStates.FailedToStart;
        if (!ended
            || watched.Restarting
            || watched.StopRequested
            || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        var refusedConfig = snapshot.ExitCode == StartupConfig.RefusedExitCode;
        if (!watched.EverHealthy)
        {
            FailedAtStart = true;
            if (refusedConfig)
            {
                Log.RefusedConfigAtStart(logger, update.Resource.Name);
            }
            else
            {
                Log.FailedAtStart(logger, update.Resource.Name, state, snapshot.ExitCode);
            }

            lifetime.StopApplication();
            return;
        }

        if (refusedConfig)
        {
            // It stays stopped, as one stopped on purpose does, until started again.
            watched.StopRequested = true;
            Log.RefusedConfig(logger, update.Resource.Name);
            return;
        }

        var stable = watched.HealthySince is { } since && timeProvider.GetUtcNow() - since >= StableAfter;
        watched.Delay = stable || watched.Delay == TimeSpan.Zero ? FirstDelay : TimeSpan.FromTicks(Math.Min(watched.Delay.Ticks * 2, MaxDelay.Ticks));
        watched.Restarting = true;
        Log.Restarting(logger, update.Resource.Name, snapshot.ExitCode, (int)watched.Delay.TotalMilliseconds);
        _ = RestartAsync(update.ResourceId, update.Resource.Name, watched, stoppingToken);
    }

    private async Task RestartAsync(string resourceId, string name, Watched watched, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(watched.Delay, timeProvider, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                Log.RestartFailed(logger, name, result.Message ?? "no reason given");
                watched.Restarting = false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What is known of one resource instance; touched only by the watch loop and its restart.</summary>
    private sealed class Watched
    {
        public bool EverHealthy { get; set; }

        public bool Restarting { get; set; }

        public bool StopRequested { get; set; }

        public DateTimeOffset? HealthySince { get; set; }

        public TimeSpan Delay { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 70, Level = LogLevel.Error, Message = "{Resource} stopped before it was ever healthy ({State}, exit code {ExitCode}); stopping the AppHost: see its output above")]
        public static partial void FailedAtStart(ILogger logger, string resource, string? state, int? exitCode);

        [LoggerMessage(EventId = 71, Level = LogLevel.Warning, Message = "{Resource} exited unexpectedly (exit code {ExitCode}); restarting it in {DelayMs} ms")]
        public static partial void Restarting(ILogger logger, string resource, int? exitCode, int delayMs);

        [LoggerMessage(EventId = 72, Level = LogLevel.Error, Message = "Could not restart {Resource}: {Reason}")]
        public static partial void RestartFailed(ILogger logger, string resource, string reason);

        [LoggerMessage(EventId = 73, Level = LogLevel.Error, Message = "{Resource} refused the config (its errors are above); stopping the AppHost")]
        public static partial void RefusedConfigAtStart(ILogger logger, string resource);

        [LoggerMessage(EventId = 74, Level = LogLevel.Error, Message = "{Resource} exited: it refused the config (its errors are above); not restarting it, the other services keep their running config. Fix the config, then start {Resource} from the dashboard or restart the AppHost")]
        public static partial void RefusedConfig(ILogger logger, string resource);
    }
}
