namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// What one client may hold on the only network-facing service (<c>AuthProxy:Limits</c>).
/// The defaults are generous for LLM traffic (long streams, large prompts, audio uploads) and tight
/// for everything a hostile client would use to hold memory or connections.
/// </summary>
internal sealed record AuthProxyLimits
{
    public const string SectionName = "AuthProxy:Limits";

    /// <summary>Largest request body; <c>/upstream</c> uploads must fit. Over it: 413.</summary>
    public long MaxRequestBodySize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most header fields in one request. Over it: 431 (answered by Kestrel).</summary>
    public int MaxRequestHeaderCount { get; init; } = 64;

    /// <summary>Total size of the request headers. Over it: 431 (answered by Kestrel).</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>Longest request line (method, target, version). Over it: 414 (answered by Kestrel).</summary>
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>
    /// How long a client may take to send a request's headers, from its first byte, before the
    /// connection is closed. Real clients send them in one write; only a slowloris dribbles.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection may stay silent between requests (and before its first byte). Above the
    /// 60 s after which .NET's HttpClient drops an idle pooled connection, so that client retires it first.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Slowest accepted upload, in bytes per second after <see cref="MinRequestBodyGracePeriod"/>.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    public TimeSpan MinRequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Connections admitted at once, from all clients; further connections are dropped at accept. Those
    /// being checked beyond a client's <see cref="MaxPendingConnectionsPerClient"/> do not count here but
    /// are bounded by the same number; Kestrel holds twice it in all. Null: unlimited.
    /// </summary>
    public long? MaxConcurrentConnections { get; init; } = 1000;

    /// <summary>
    /// Connections one client address (an IPv4 address, an IPv6 /64) may hold that have not started a
    /// request yet: still sending headers, silent, or not yet read by a busy proxy. Beyond it a new
    /// connection is admitted only once its complete request headers are in (<see cref="BurstHeadersTimeout"/>):
    /// a burst of real requests passes, a slowloris does not, and a client caught dribbling headers is
    /// refused beyond this limit at accept for the next 60 s (renewed while it keeps trying). Null: unlimited.
    /// </summary>
    public int? MaxPendingConnectionsPerClient { get; init; } = 64;

    /// <summary>
    /// How long a connection beyond <see cref="MaxPendingConnectionsPerClient"/> has to deliver its complete
    /// request headers (longer, up to <see cref="RequestHeadersTimeout"/>, while its bytes wait unread
    /// because the proxy is busy). Meanwhile it holds no <see cref="MaxConcurrentConnections"/> slot.
    /// </summary>
    public TimeSpan BurstHeadersTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// All connections one client address may hold, including keyed streams. Null (the default): only
    /// <see cref="MaxConcurrentConnections"/> bounds it, so one host may run as many streams as the proxy takes.
    /// </summary>
    public int? MaxConnectionsPerClient { get; init; }
}
