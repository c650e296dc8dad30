using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;

namespace LlamaSwap.Gateway.Logs;

/// <summary>A reload re-applies <c>logLevel</c> and <c>logTimeFormat</c> (<c>logToStdout</c> needs a restart, as in llama-swap).</summary>
internal sealed class LogsReloadTarget(LogHub hub) : IConfigReloadTarget
{
    public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
    {
        hub.Apply(config);
        return Task.CompletedTask;
    }
}
