using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>The last stage: the request, as the earlier stages made it, goes to the leased upstream.</summary>
internal sealed class ForwardStage(ModelForwarder forwarder)
{
    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        var request = context.Request;
        var pathAndQuery = model.IsUpstreamPath
            ? model.UpstreamRemainder + request.QueryString.ToUriComponent()
            : new PathString(UpstreamPathRewriter.Rewrite(request.Path.Value ?? "/")).ToUriComponent() + request.QueryString.ToUriComponent();
        var upstream = model.Lease!.Upstream;
        if (model.Loading is { Started: true } loading)
        {
            // The loading text already went out as a 200 stream: the upstream's answer is appended to it.
            return loading.AppendUpstreamAsync(forwarder.InvokerFor(model.ModelId!), upstream, pathAndQuery, model.Body!.Value, model.ContentType ?? request.ContentType);
        }

        return forwarder.ForwardAsync(context, model.ModelId!, upstream, new UpstreamTransformer(pathAndQuery, model.Body, model.ContentType, model.Inflight));
    }
}
