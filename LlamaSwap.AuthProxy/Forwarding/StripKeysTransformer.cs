using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Security;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.AuthProxy.Forwarding;

/// <summary>
/// Removes the client's key before the request leaves the proxy (behind it nothing authenticates, so
/// the key would only leak into upstream logs) and adds the signed claim of which key it was.
/// </summary>
internal sealed class StripKeysTransformer(KeyClaimIssuer claims) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.Remove(ApiKeyExtractor.ApiKeyHeader);

        // Which key this was, signed for this one request: the gateway judges the key's models on the
        // request's final target and attributes usage to its name.
        if (httpContext.Features.Get<AuthenticatedKey>() is { } authenticated && claims.Signer is { } signer)
        {
            proxyRequest.Headers.TryAddWithoutValidation(KeyClaimSigner.HeaderName, signer.Sign(KeyClaim.For(authenticated.Key), httpContext.Request.Method));
        }

        // The gateway's access log wants the real client, not the proxy.
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            var existing = httpContext.Request.Headers["X-Forwarded-For"].ToString();
            proxyRequest.Headers.Remove("X-Forwarded-For");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", existing.Length > 0 ? $"{existing}, {remote}" : remote.ToString());
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        // A response of unknown length is a stream (SSE, /logs/stream): send its headers now. Otherwise
        // they wait for the first body bytes, and a quiet stream (/logs/stream?no-history) would leave
        // the client without even a status until something is logged.
        if (proceed && proxyResponse?.Content.Headers.ContentLength is null && !httpContext.Response.HasStarted)
        {
            await httpContext.Response.Body.FlushAsync(cancellationToken);
        }

        return proceed;
    }
}
