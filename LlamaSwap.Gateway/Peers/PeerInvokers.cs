using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Transport;

namespace LlamaSwap.Gateway.Peers;

/// <summary>
/// One connection pool per peer, built from its <c>timeouts</c>, so a slow peer's settings never
/// apply to local upstreams or to another peer.
/// </summary>
internal sealed class PeerInvokers : IDisposable
{
    // Keyed by the timeouts too: a reload that changes them gets a new pool.
    private readonly InvokerPool<(string PeerId, UpstreamTimeouts Timeouts, bool Https)> _pool
        = new(key => TimeoutInvokerFactory.Create(key.Timeouts, useProxy: true, key.Https));

    public HttpMessageInvoker For(PeerConfig peer)
        => _pool.For((peer.Id, peer.Timeouts, peer.Proxy.Scheme == Uri.UriSchemeHttps));

    public void Dispose() => _pool.Dispose();
}
