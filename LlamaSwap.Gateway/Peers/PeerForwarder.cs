using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace LlamaSwap.Gateway.Peers;

/// <summary>
/// The proxy path for a peer model (reference 3.13): no process, no lease, no queue and no
/// concurrency limit; the request goes straight to the peer through that peer's own pool.
/// </summary>
internal sealed partial class PeerForwarder(IHttpForwarder forwarder, PeerHops hops, ILogger<PeerForwarder> logger) : IDisposable
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // The wait for headers is the peer's responseHeader timeout (see ResponseHeaderTimeoutHandler);
        // after that a stream may idle as long as the peer needs, as with local models.
        ActivityTimeout = TimeSpan.FromDays(1),
    };

    private readonly PeerInvokers _invokers = new();

    /// <summary>A model-dispatched route whose model is a peer's.</summary>
    /// <param name="requested">The name the client used: the FQN or a bare peer model ID.</param>
    /// <param name="body">The buffered body (POST), or null.</param>
    /// <param name="contentType">The body's content type as the pipeline settled it (see <c>ModelRequest.ContentType</c>).</param>
    public async Task ForwardInferenceAsync(HttpContext context, PeerModel model, string requested, ReadOnlyMemory<byte>? body, string? contentType)
    {
        var request = context.Request;
        if (body is { } buffered
            && await PeerRequestRewriter.RewriteBodyAsync(model, requested, contentType, buffered) is { } rewritten)
        {
            body = rewritten.Body;
            contentType = rewritten.ContentType;
        }

        var query = HttpMethods.IsGet(request.Method)
            ? PeerRequestRewriter.RewriteQuery(model, request.Query, request.QueryString)
            : request.QueryString;
        var path = UpstreamPathRewriter.Rewrite(request.Path.Value ?? "/");
        var pathAndQuery = new PathString(path).ToUriComponent() + query.ToUriComponent();
        await ForwardAsync(context, model, new UpstreamTransformer(pathAndQuery, body, contentType));
    }

    /// <summary>Sends the request to the peer; connection failures become <c>502 peer proxy error: ...</c>.</summary>
    public async Task ForwardAsync(HttpContext context, PeerModel model, UpstreamTransformer transformer)
    {
        var peer = model.Peer;
        var destination = peer.Proxy.ToString();

        // The client's abort cancels the peer call: YARP links the request to RequestAborted.
        var error = await forwarder.SendAsync(context, destination, _invokers.For(peer), RequestConfig, new PeerTransformer(peer, transformer, hops.Next(context.Request.Headers)));
        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.GetForwarderErrorFeature()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            || context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(logger, model.Fqn, error);
            return;
        }

        Log.PeerFailed(logger, model.Fqn, destination, error, exception);
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, $"peer proxy error: {exception?.Message ?? error.ToString()}");
        }
    }

    public void Dispose() => _invokers.Dispose();
}
