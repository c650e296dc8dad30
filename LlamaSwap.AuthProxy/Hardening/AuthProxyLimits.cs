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

    /// <summary>How long a client may take to send all its headers before the connection is closed.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection is kept open.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Slowest accepted upload, in bytes per second after <see cref="MinRequestBodyGracePeriod"/>.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    public TimeSpan MinRequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open connections at once; further connections are refused at accept. Null: unlimited.</summary>
    public long? MaxConcurrentConnections { get; init; } = 1000;
}
