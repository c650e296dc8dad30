using System.Net;

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
        ActivityHeadersPropagator = null,
    });

    public void Dispose() => Invoker.Dispose();
}
