namespace LlamaSwap.Core.Configuration;

/// <summary>
/// Connection timeouts in seconds for calls to one upstream: a local model's server (reference 1.4)
/// or a peer (1.8). 0 disables that timeout.
/// </summary>
public sealed record UpstreamTimeouts
{
    /// <summary>A peer's defaults: the same as a local model's except a 60 s wait for response headers.</summary>
    public static UpstreamTimeouts PeerDefaults { get; } = new() { ResponseHeaderSeconds = 60 };

    public int ConnectSeconds { get; init; } = 30;

    /// <summary>TCP keep-alive probe interval.</summary>
    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>How long to wait for the response headers once the request is sent.</summary>
    public int ResponseHeaderSeconds { get; init; }

    public int TlsHandshakeSeconds { get; init; } = 10;

    /// <summary>How long to wait for <c>100 Continue</c> before sending a body anyway.</summary>
    public int ExpectContinueSeconds { get; init; } = 1;

    /// <summary>How long an idle pooled connection is kept.</summary>
    public int IdleConnSeconds { get; init; } = 90;
}
