using LlamaSwap.Core.Configuration;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Supervisor.Scheduling;

namespace LlamaSwap.Supervisor.Hosting;

/// <summary>
/// Starts the scheduler after adopting or killing the upstreams a crashed predecessor left, preloads
/// the configured models, and on shutdown stops every upstream before the process exits.
/// </summary>
internal sealed partial class SchedulerHostedService(
    ModelScheduler scheduler,
    LeftoverUpstreams leftovers,
    LlamaSwapConfig config,
    ILogger<SchedulerHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the scheduler starts and before the API listens: no request can race an adoption,
        // and the first state published already shows adopted models ready.
        foreach (var process in await leftovers.AdoptOrKillAsync(scheduler.Config, cancellationToken))
        {
            scheduler.Adopt(process);
        }

        scheduler.Start();
        if (config.Preload.Count > 0)
        {
            _ = PreloadAsync();
        }
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
        [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Preloaded {Model}")]
        public static partial void Preloaded(ILogger logger, string model);

        [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "failed to preload model {Model}: {Reason}")]
        public static partial void PreloadFailed(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = 1033, Level = LogLevel.Information, Message = "Shutting down: stopping every upstream")]
        public static partial void ShuttingDown(ILogger logger);
    }
}
