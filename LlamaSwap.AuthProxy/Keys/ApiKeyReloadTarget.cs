using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>Re-reads the keys from the same sources, in the same order, as at start-up.</summary>
internal sealed class ApiKeyReloadTarget(ApiKeyHolder holder, IConfiguration configuration, ILoggerFactory loggers) : IConfigReloadTarget
{
    public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
    {
        holder.Replace(ApiKeyLoader.Load(configuration, loggers.CreateLogger(typeof(ApiKeyLoader))));
        return Task.CompletedTask;
    }
}
