using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LlamaSwap.Core.Http;
using LlamaSwap.Core.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Transport;

/// <summary>Builds a connection pool that applies one set of <c>timeouts</c> (reference 1.4, 1.8).</summary>
internal static class TimeoutInvokerFactory
{
    /// <param name="useProxy">Whether an environment proxy applies: yes for peers, never for local upstreams.</param>
    /// <param name="https">Whether the destination uses TLS, whose handshake shares .NET's connect timeout.</param>
    /// <param name="reuseConnections">False: a new connection for every request, never pooled.</param>
    public static HttpMessageInvoker Create(UpstreamTimeouts timeouts, bool useProxy, bool https, bool reuseConnections = true)
    {
        // .NET's connect timeout spans TCP connect and TLS handshake together.
        var connect = timeouts.ConnectSeconds + (https ? timeouts.TlsHandshakeSeconds : 0);
        var handler = new SocketsHttpHandler
        {
            // Redirects, cookies and decompression would change what the client sees.
            UseProxy = useProxy,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = Seconds(timeouts.ConnectSeconds == 0 ? 0 : connect),
            PooledConnectionIdleTimeout = Seconds(timeouts.IdleConnSeconds),
            PooledConnectionLifetime = reuseConnections ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(timeouts.ExpectContinueSeconds),

            // Continue the trace across the hop instead of copying the client's traceparent verbatim.
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.CreateDefaultPropagator()),
        };

        handler.ConnectCallback = Connect(timeouts.KeepAliveSeconds);

        HttpMessageHandler outer = timeouts.ResponseHeaderSeconds > 0
            ? new ResponseHeaderTimeoutHandler(handler, TimeSpan.FromSeconds(timeouts.ResponseHeaderSeconds))
            : handler;
        return new HttpMessageInvoker(outer);
    }

    /// <summary>
    /// Connections that never wait on a delayed ACK (<see cref="QuickAckStream"/>), with TCP
    /// keep-alive probes when <paramref name="keepAliveSeconds"/> is set: they detect an upstream
    /// that vanished without closing the connection (no FIN), as Go's dialer does.
    /// </summary>
    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(int keepAliveSeconds)
        => async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (keepAliveSeconds > 0)
                {
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, keepAliveSeconds);
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, keepAliveSeconds);
                }

                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return QuickAckStream.Create(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    /// <summary>0 disables a timeout, as in llama-swap.</summary>
    private static TimeSpan Seconds(int seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
}
