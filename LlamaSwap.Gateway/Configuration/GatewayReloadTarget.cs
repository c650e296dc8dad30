using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;

namespace LlamaSwap.Gateway.Configuration;

/// <summary>Requests already under way keep the snapshot they took; the next ones see the new config.</summary>
internal sealed class GatewayReloadTarget(ConfigHolder holder) : IConfigReloadTarget
{
    public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
    {
        holder.Replace(config);
        return Task.CompletedTask;
    }
}
