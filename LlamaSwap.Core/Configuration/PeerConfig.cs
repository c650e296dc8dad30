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

    public PeerTimeouts Timeouts { get; init; } = new();
}

/// <summary>A peer's connection timeouts in seconds; 0 disables that timeout.</summary>
public sealed record PeerTimeouts
{
    public int ConnectSeconds { get; init; } = 30;

    /// <summary>TCP keep-alive probe interval.</summary>
    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>How long to wait for the response headers once the request is sent (local models have none).</summary>
    public int ResponseHeaderSeconds { get; init; } = 60;

    public int TlsHandshakeSeconds { get; init; } = 10;

    /// <summary>How long an idle pooled connection is kept.</summary>
    public int IdleConnSeconds { get; init; } = 90;
}

/// <summary>One model of one peer, as a request resolved it.</summary>
/// <param name="Peer">The peer serving it.</param>
/// <param name="ModelId">The peer's own ID for the model (what the peer must see in the request).</param>
public sealed record PeerModel(PeerConfig Peer, string ModelId)
{
    /// <summary>The fully qualified name, <c>&lt;peerID&gt;/&lt;modelID&gt;</c>.</summary>
    public string Fqn => $"{Peer.Id}/{ModelId}";
}
