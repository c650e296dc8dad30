using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.AuthProxy.Forwarding;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>Re-reads the keys from the same sources, in the same order, as at start-up.</summary>
internal sealed class ApiKeyReloadTarget(
    ApiKeyHolder holder, KeyClaimIssuer claims, OpenPortWarning openPort, IConfiguration configuration, ILoggerFactory loggers) : IConfigReloadTarget
{
    public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
    {
        var keys = ApiKeyLoader.Load(configuration, loggers.CreateLogger(typeof(ApiKeyLoader)));
        if (claims.Problem(keys) is { } problem)
        {
            // The old keys keep serving: a limit nobody enforces must never take effect.
            throw new InvalidOperationException(problem);
        }

        holder.Replace(keys);
        openPort.WarnIfOpen(keys);
        return Task.CompletedTask;
    }
}
