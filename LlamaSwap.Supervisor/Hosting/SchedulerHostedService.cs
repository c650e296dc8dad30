using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;
using LlamaSwap.Supervisor.Scheduling;

namespace LlamaSwap.Supervisor.Hosting;

/// <summary>
/// Starts the scheduler after killing leftovers of a crashed predecessor, preloads the configured
/// models, and on shutdown stops every upstream before the process exits.
/// </summary>
internal sealed partial class SchedulerHostedService(
    ModelScheduler scheduler,
    LlamaSwapConfig config,
    IConfiguration configuration,
    ILogger<SchedulerHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var runDirectory = configuration[WiringEnvironment.RunDirectoryKey] is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "llamaswap-run");
        var reaped = UpstreamPidRecords.ReapLeftovers(runDirectory, logger);
        if (reaped > 0)
        {
            Log.Reaped(logger, reaped, runDirectory);
        }

        scheduler.Start();
        if (config.Preload.Count > 0)
        {
            _ = PreloadAsync();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Log.ShuttingDown(logger);
        await scheduler.ShutdownAsync().WaitAsync(cancellationToken);
    }

    private async Task PreloadAsync()
    {
        // Sequential, like a client asking for each in turn: the swap rules decide what stays loaded.
        foreach (var model in config.Preload)
        {
            var outcome = await scheduler.AcquireAsync(model, $"preload:{model}", CancellationToken.None);
            if (outcome.Lease is { } lease)
            {
                scheduler.Release(lease.LeaseId);
                Log.Preloaded(logger, model);
            }
            else
            {
                Log.PreloadFailed(logger, model, outcome.Error?.Message ?? "cancelled");
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Killed {Count} leftover upstream process group(s) recorded in {RunDirectory}")]
        public static partial void Reaped(ILogger logger, int count, string runDirectory);

        [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Preloaded {Model}")]
        public static partial void Preloaded(ILogger logger, string model);

        [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "failed to preload model {Model}: {Reason}")]
        public static partial void PreloadFailed(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = 1033, Level = LogLevel.Information, Message = "Shutting down: stopping every upstream")]
        public static partial void ShuttingDown(ILogger logger);
    }
}
