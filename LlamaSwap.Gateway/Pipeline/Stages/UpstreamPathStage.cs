using LlamaSwap.Core.Http;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// <c>/upstream/&lt;model&gt;/...</c> (reference 2.5): the model named by the path, after the active
/// profile's pin prefix, resolved once; the body is never inspected.
/// </summary>
internal sealed class UpstreamPathStage(
    RequestDelegate next, VirtualModelResolver virtualModels, UnknownModelMessages unknownModels, ActivityRecorder recorder)
{
    private static readonly int UpstreamPrefixLength = "/upstream/".Length;

    public async Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        var request = context.Request;
        var rawPath = context.Features.Get<IHttpRequestFeature>()?.RawTarget?.Split('?', 2)[0];
        var pinned = virtualModels.RewriteUpstreamPath(model.Config, request.Path.Value ?? "/", rawPath);
        var target = pinned.Disabled ? null : UpstreamModelPath.Resolve(model.Config, pinned.DecodedPath, pinned.RawPath);
        if (target is null)
        {
            var afterPrefix = pinned.DecodedPath.Length > UpstreamPrefixLength ? pinned.DecodedPath[UpstreamPrefixLength..] : "";
            var message = unknownModels.NotFoundInPath(model.Config, afterPrefix, context.Features.Get<KeyClaim>());
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, message);
            return;
        }

        model.Requested = target.RequestedName;
        model.Name = target.RequestedName;
        model.Peer = target.Peer;
        model.ModelId = target.Peer is null ? target.ModelId : null;
        model.UpstreamRemainder = target.Remainder;
        model.UpstreamModelPath = target.RawModelPath;
        if (target.Remainder.Length > 0)
        {
            Record(context, model, target.ModelId, target.Remainder);
        }

        await next(context);
    }

    /// <summary>Recorded like the route itself when it is a model-dispatched POST.</summary>
    private void Record(HttpContext context, ModelRequest model, string name, string remainder)
    {
        if (model.Inflight is not { } inflight)
        {
            return;
        }

        inflight.Model = name;
        if (recorder.Enabled && HttpMethods.IsPost(context.Request.Method) && RecordedRoutes.IsRecorded(remainder))
        {
            inflight.Route = remainder;
            ActivityTap.Attach(context, inflight, teeRequestBody: true);
        }
    }
}
