using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Security;

namespace LlamaSwap.AuthProxy.Forwarding;

/// <summary>
/// This proxy's side of the key-claim secret (<see cref="KeyClaimSigner.SecretSetting"/>): signs the
/// authenticated key into each forwarded request. Without the secret no claim is sent (the gateway
/// sees anonymous requests), which is refused for key sets that limit models: nothing else would
/// enforce the limit.
/// </summary>
internal sealed class KeyClaimIssuer(IConfiguration configuration, TimeProvider time)
{
    public KeyClaimSigner? Signer { get; } = KeyClaimSigner.FromSetting(configuration[KeyClaimSigner.SecretSetting], time);

    /// <summary>Why <paramref name="keys"/> cannot be served by this proxy, or null.</summary>
    public string? Problem(ApiKeySet keys)
        => keys.RestrictsModels && Signer is null
            ? $"a key is limited to some models, but {KeyClaimSigner.SecretSetting} is not set: the gateway enforces model limits and needs the same secret as this proxy (the AppHost sets it)"
            : null;
}
