using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>
/// Kestrel connection middleware: admits a connection through <see cref="ClientConnectionLimiter"/>
/// before Kestrel parses a byte of it, or drops it. A client at its limits cannot hold the
/// <see cref="AuthProxyLimits.MaxConcurrentConnections"/> slots everyone shares.
/// </summary>
internal sealed class ClientConnectionMiddleware(
    ConnectionDelegate next, ClientConnectionLimiter limiter, IOptions<AuthProxyLimits> options, TimeProvider time)
{
    private readonly TimeSpan _burstHeadersTimeout = options.Value.BurstHeadersTimeout;
    private readonly TimeSpan _requestHeadersTimeout = options.Value.RequestHeadersTimeout;
    private readonly long _maxHeadBytes = options.Value.MaxRequestLineSize + (long)options.Value.MaxRequestHeadersTotalSize + 4;

    public async Task OnConnectionAsync(ConnectionContext context)
    {
        if (ClientAddress.Of(context.RemoteEndPoint) is not { } client)
        {
            await next(context);
            return;
        }

        if (limiter.TryOpen(client, out var connection) == Admission.BurstCheck)
        {
            // Beyond the pending limit: a burst of real requests has its headers here already (or in a
            // moment, when the proxy is busy); a slowloris does not. Meanwhile the connection holds none
            // of the slots other clients need.
            var arrival = HeadArrival.Closed;
            try
            {
                arrival = await RequestHeadCheck.WaitAsync(context, _burstHeadersTimeout, _requestHeadersTimeout, _maxHeadBytes, time);
            }
            finally
            {
                connection = limiter.EndBurstCheck(client, arrival);
            }
        }

        if (connection is null)
        {
            context.Abort(new ConnectionAbortedException("refused by the auth proxy's connection limits"));
            return;
        }

        context.Features.Set(connection);
        try
        {
            await next(context);
        }
        finally
        {
            limiter.Closed(connection);
        }
    }
}
