using System.Runtime.InteropServices;
using LlamaSwap.Gateway.Inflight;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// Per-request transform: points the request at the upstream path, substitutes the buffered
/// (possibly rewritten) body, marks SSE responses unbufferable for proxies in front of us, and adds
/// the timing headers (<see cref="ProxyTimingHeaders"/>).
/// </summary>
/// <param name="pathAndQuery">Path and query to request from the upstream, already encoded.</param>
/// <param name="body">The buffered body to send, or null to stream the original request body.</param>
/// <param name="contentType">Replacement <c>Content-Type</c> when the body was rebuilt (multipart).</param>
/// <param name="inflight">The request's in-flight record (timings); null when it is not tracked.</param>
internal sealed class UpstreamTransformer(string pathAndQuery, ReadOnlyMemory<byte>? body, string? contentType, InflightRequest? inflight = null)
    : HttpTransformer
{
    /// <summary>Whether the body sent upstream is held in memory, so the request can be sent again.</summary>
    public bool BodyBuffered => body is not null;

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        if (body is { } bytes)
        {
            // The original stream was consumed while looking for the model. YARP reads the body
            // lazily from Request.Body, and the base transform copies the headers set here.
            request.Body = AsStream(bytes);
            request.ContentLength = bytes.Length;
            request.Headers.TransferEncoding = default;
            if (contentType is not null)
            {
                request.ContentType = contentType;
            }
        }

        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // Built by hand rather than with RequestUtilities so a raw /upstream remainder keeps its encoding.
        proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + pathAndQuery, UriKind.Absolute);
        inflight?.OnSendingUpstream();
    }

    public override async ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse?.Content.Headers.ContentType?.MediaType is { } mediaType
            && mediaType.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.Headers["X-Accel-Buffering"] = "no";
        }

        ProxyTimingHeaders.Set(httpContext.Response.Headers, inflight, upstreamAnswered: proxyResponse is not null);
        return proceed;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes)
        => MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
