namespace LlamaSwap.Core.Configuration;

/// <summary>
/// <c>forwardClientAuth</c>: which upstreams receive the client's <c>Authorization</c> and
/// <c>x-api-key</c>, and the internal headers that carry them from the auth proxy to the gateway
/// (docs/design.md, "Keys across the hop").
/// </summary>
public static class ClientAuthForwarding
{
    /// <summary>The client's <c>Authorization</c>, handed on by the auth proxy beside the key claim.</summary>
    public const string AuthorizationHeader = "X-LlamaSwap-Client-Authorization";

    /// <summary>The client's <c>x-api-key</c>, handed on by the auth proxy beside the key claim.</summary>
    public const string ApiKeyHeader = "X-LlamaSwap-Client-Api-Key";

    /// <summary>Whether <paramref name="model"/>'s upstream gets the client's credential: its own setting, else the global one.</summary>
    public static bool To(LlamaSwapConfig config, ModelConfig model) => model.ForwardClientAuth ?? config.ForwardClientAuth;

    /// <summary>
    /// Whether <paramref name="peer"/> gets the client's credential: never when it has an <c>apiKey</c>
    /// (which replaces the client's), else as the global setting says.
    /// </summary>
    public static bool To(LlamaSwapConfig config, PeerConfig peer) => peer.ApiKey is null && config.ForwardClientAuth;
}
