using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Peers;

/// <summary>
/// What a local upstream gets (path, buffered body, SSE marking), plus the peer's own identity:
/// <c>Host</c> is the peer's, and its API key replaces whatever key the client sent us.
/// </summary>
internal sealed class PeerTransformer(PeerConfig peer, UpstreamTransformer inner, string via) : HttpTransformer
{
    private const string ApiKeyHeader = "x-api-key";

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await inner.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // Virtual-hosted peers (and TLS SNI-based front ends) route by Host, which must be theirs.
        proxyRequest.Headers.Host = peer.Proxy.Authority;

        // The gateways this request went through: a peer that leads back to one of them refuses it (508).
        proxyRequest.Headers.Remove(PeerHops.Header);
        proxyRequest.Headers.TryAddWithoutValidation(PeerHops.Header, via);
        if (peer.ApiKey is { } apiKey)
        {
            // The client's key is for us; sending it on would leak it to a third party.
            proxyRequest.Headers.Remove("Authorization");
            proxyRequest.Headers.Remove(ApiKeyHeader);
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
            proxyRequest.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        }
    }

    public override ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        => inner.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
}
