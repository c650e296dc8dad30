using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Peers;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// A peer model's request goes straight to the peer (reference 3.13): no process, no lease, no
/// filters. Ends the pipeline for peers; local models go on.
/// </summary>
internal sealed class PeerStage(RequestDelegate next, PeerForwarder peers)
{
    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (model.Peer is not { } peer)
        {
            return next(context);
        }

        if (model.IsUpstreamPath)
        {
            var transformer = new UpstreamTransformer(model.UpstreamRemainder + context.Request.QueryString.ToUriComponent(), null, null, model.Inflight);
            return peers.ForwardAsync(context, peer, transformer);
        }

        model.Inflight?.Dispatched(model.Name, model.Body);
        return peers.ForwardInferenceAsync(context, peer, model.Name, model.Body, model.ContentType);
    }
}
