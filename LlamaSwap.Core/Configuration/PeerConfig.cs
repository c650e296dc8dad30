namespace LlamaSwap.Core.Configuration;

/// <summary>
/// A remote OpenAI-compatible server whose models are reachable through this proxy (reference 1.8).
/// No process is started for it: requests are forwarded as they come.
/// </summary>
public sealed record PeerConfig
{
    /// <summary>The key under <c>peers</c>; the first part of every FQN (<c>&lt;peerID&gt;/&lt;modelID&gt;</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Base URL; the request path is appended to it (<c>https://openrouter.ai/api</c> + <c>/v1/chat/completions</c>).</summary>
    public required Uri Proxy { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer</c> and <c>x-api-key</c> instead of the client's; null when not configured.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The peer's own model IDs, as the peer expects them in requests.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary><c>stripParams</c> and <c>setParams</c>; peers never get <c>useModelName</c> or <c>setParamsByID</c>.</summary>
    public ModelFilters Filters { get; init; } = ModelFilters.None;

    /// <summary>The peer's own connection pool settings (<see cref="UpstreamTimeouts.PeerDefaults"/> when absent).</summary>
    public UpstreamTimeouts Timeouts { get; init; } = UpstreamTimeouts.PeerDefaults;
}

/// <summary>One model of one peer, as a request resolved it.</summary>
/// <param name="Peer">The peer serving it.</param>
/// <param name="ModelId">The peer's own ID for the model (what the peer must see in the request).</param>
public sealed record PeerModel(PeerConfig Peer, string ModelId)
{
    /// <summary>The fully qualified name, <c>&lt;peerID&gt;/&lt;modelID&gt;</c>.</summary>
    public string Fqn => $"{Peer.Id}/{ModelId}";
}
