using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Security;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.AuthProxy.Forwarding;

/// <summary>
/// Takes the client's key out of the headers every hop copies and adds the signed claim of which key
/// it was. The key itself travels on only in the gateway's internal credential headers
/// (<see cref="ClientAuthForwarding"/>), which the gateway honours beside a valid claim and hands to an
/// upstream only where <c>forwardClientAuth</c> asks for it (docs/design.md, "Keys across the hop").
/// </summary>
internal sealed class StripKeysTransformer(KeyClaimIssuer claims) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // Only this proxy puts a credential there: a client must not pick what an upstream receives.
        proxyRequest.Headers.Remove(ClientAuthForwarding.AuthorizationHeader);
        proxyRequest.Headers.Remove(ClientAuthForwarding.ApiKeyHeader);
        MoveClientCredential(httpContext, proxyRequest);

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

    /// <summary>
    /// An authenticated request's key is this server's secret: it leaves <c>Authorization</c> and
    /// <c>x-api-key</c> (which the gateway's forwarders copy) for the internal headers, read by the
    /// gateway only beside the key claim. With auth off the client's headers are no key of ours and
    /// pass unchanged: the gateway treats them as a direct caller's. A public route's are dropped.
    /// </summary>
    private static void MoveClientCredential(HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        var headers = httpContext.Request.Headers;
        if (httpContext.RequestServices.GetRequiredService<ApiKeyHolder>().Current.IsOpen)
        {
            return;
        }

        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.Remove(ApiKeyExtractor.ApiKeyHeader);
        if (httpContext.Features.Get<AuthenticatedKey>() is null)
        {
            return;
        }

        if (headers.Authorization is { Count: > 0 } authorization)
        {
            proxyRequest.Headers.TryAddWithoutValidation(ClientAuthForwarding.AuthorizationHeader, (IEnumerable<string?>)authorization);
        }

        if (headers[ApiKeyExtractor.ApiKeyHeader] is { Count: > 0 } apiKey)
        {
            proxyRequest.Headers.TryAddWithoutValidation(ClientAuthForwarding.ApiKeyHeader, (IEnumerable<string?>)apiKey);
        }
    }
}
