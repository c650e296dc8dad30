using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Supervisor.Scheduling;

namespace LlamaSwap.Supervisor.Hosting;

/// <summary>Hands a reloaded config to the scheduler, which restarts only what changed.</summary>
internal sealed class SchedulerReloadTarget(ModelScheduler scheduler) : IConfigReloadTarget
{
    public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken) => scheduler.ReconfigureAsync(config);
}
