using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LlamaSwap.Core.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Peers;

/// <summary>
/// One connection pool per peer, built from its <c>timeouts</c>, so a slow peer's settings never
/// apply to local upstreams or to another peer.
/// </summary>
internal sealed class PeerInvokers : IDisposable
{
    private readonly Lock _lock = new();

    // Keyed by the timeouts too: a reload that changes them gets a new pool. The old one is kept
    // until shutdown because requests in flight may still be using it.
    private readonly Dictionary<(string PeerId, PeerTimeouts Timeouts), HttpMessageInvoker> _invokers = [];

    public HttpMessageInvoker For(PeerConfig peer)
    {
        lock (_lock)
        {
            var key = (peer.Id, peer.Timeouts);
            if (!_invokers.TryGetValue(key, out var invoker))
            {
                invoker = Create(peer);
                _invokers[key] = invoker;
            }

            return invoker;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var invoker in _invokers.Values)
            {
                invoker.Dispose();
            }

            _invokers.Clear();
        }
    }

    private static HttpMessageInvoker Create(PeerConfig peer)
    {
        var timeouts = peer.Timeouts;

        // .NET's connect timeout spans TCP connect and TLS handshake together.
        var connect = timeouts.ConnectSeconds
            + (peer.Proxy.Scheme == Uri.UriSchemeHttps ? timeouts.TlsHandshakeSeconds : 0);
        var handler = new SocketsHttpHandler
        {
            // A peer is usually on another host or the internet, where an environment proxy may be
            // the way out; redirects, cookies and decompression would change what the client sees.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = Seconds(timeouts.ConnectSeconds == 0 ? 0 : connect),
            PooledConnectionIdleTimeout = Seconds(timeouts.IdleConnSeconds),
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.CreateDefaultPropagator()),
        };

        if (timeouts.KeepAliveSeconds > 0)
        {
            // Detects a peer that vanished without closing the connection (no FIN), as Go's dialer does.
            var keepAlive = timeouts.KeepAliveSeconds;
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, keepAlive);
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, keepAlive);
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        HttpMessageHandler outer = timeouts.ResponseHeaderSeconds > 0
            ? new ResponseHeaderTimeoutHandler(handler, TimeSpan.FromSeconds(timeouts.ResponseHeaderSeconds))
            : handler;
        return new HttpMessageInvoker(outer);
    }

    /// <summary>0 disables a timeout, as in llama-swap.</summary>
    private static TimeSpan Seconds(int seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
}
