using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>Applies <see cref="AuthProxyLimits"/> to Kestrel, so they hold before any middleware runs.</summary>
internal sealed class KestrelLimitsSetup(IOptions<AuthProxyLimits> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var limits = options.Value;
        var kestrelLimits = kestrel.Limits;
        kestrelLimits.MaxRequestBodySize = limits.MaxRequestBodySize;
        kestrelLimits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrelLimits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
        kestrelLimits.MaxRequestLineSize = limits.MaxRequestLineSize;
        kestrelLimits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrelLimits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrelLimits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod);

        // MinResponseDataRate stays Kestrel's (240 B/s after 5 s): it only runs while a write waits for a
        // client that does not read, so a stream that is quiet while a model thinks is never cut by it.

        // ClientConnectionLimiter admits MaxConcurrentConnections; Kestrel's own bound also leaves room
        // for as many connections again while they are checked as part of a burst, so that a slowloris's
        // connections under check never take the slots other clients need.
        kestrelLimits.MaxConcurrentConnections = limits.MaxConcurrentConnections * 2;
        kestrelLimits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;

        // HTTP/2 counts header fields in its own unit; keep one field no larger than the whole HTTP/1 budget.
        kestrelLimits.Http2.MaxRequestHeaderFieldSize = Math.Min(kestrelLimits.Http2.MaxRequestHeaderFieldSize, limits.MaxRequestHeadersTotalSize);
    }
}
