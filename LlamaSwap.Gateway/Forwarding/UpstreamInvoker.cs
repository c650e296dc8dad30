using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>The one connection pool every upstream call goes through (YARP direct forwarding).</summary>
internal sealed class UpstreamInvoker : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        // Upstreams are local servers: an environment proxy, redirects, cookies or decompression
        // would all change what the client sees.
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        // Continue the trace across the hop instead of copying the client's traceparent verbatim.
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.CreateDefaultPropagator()),
    });

    public void Dispose() => Invoker.Dispose();
}
