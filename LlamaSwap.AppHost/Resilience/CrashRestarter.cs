using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Resilience;

/// <summary>
/// Brings back a resource that dies: Aspire reports the exit, this waits a short, growing delay and
/// runs the resource's own start command (the dashboard's "Start"). A resource stopped on purpose
/// (from the dashboard, or because the AppHost is stopping) stays stopped. One that dies before it
/// was ever healthy is a start-up failure (a bad config, a busy port): the AppHost reports it and
/// stops, as a restart would only fail the same way.
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
            watched.StopRequested = false;
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

        if (!watched.EverHealthy)
        {
            FailedAtStart = true;
            Log.FailedAtStart(logger, update.Resource.Name, state, snapshot.ExitCode);
            lifetime.StopApplication();
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
    }
}
