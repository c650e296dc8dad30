using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AuthProxy.Scopes;

internal static class ModelNames
{
    /// <summary>
    /// What a requested name reaches, as the gateway resolves it: the model ID (for an ID or alias),
    /// else the peer model's FQN, else null (a selector, a profile pin, or unknown).
    /// </summary>
    public static string? RealId(LlamaSwapConfig config, string requested)
        => config.ResolveModelId(requested) ?? config.ResolvePeer(requested)?.Fqn;
}
