using LlamaSwap.AuthProxy.Keys;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.AuthProxy.Forwarding;

/// <summary>
/// Removes the client's key before the request leaves the proxy: behind it nothing authenticates,
/// so the key would only leak into upstream logs.
/// </summary>
internal sealed class StripKeysTransformer : HttpTransformer
{
    public static readonly StripKeysTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.Remove(ApiKeyExtractor.ApiKeyHeader);

        // The gateway's access log wants the real client, not the proxy.
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            var existing = httpContext.Request.Headers["X-Forwarded-For"].ToString();
            proxyRequest.Headers.Remove("X-Forwarded-For");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", existing.Length > 0 ? $"{existing}, {remote}" : remote.ToString());
        }
    }
}
