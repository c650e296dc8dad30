using LlamaSwap.Core.Http;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// The names that stand for other names (reference 2.1 middleware order): the active profile's pin,
/// then a selector. The request continues as if the client had asked for the target, body included,
/// and the target is resolved here, once, to a model ID or a peer model.
/// </summary>
internal sealed class VirtualNameStage(RequestDelegate next, VirtualModelResolver virtualModels, UnknownModelMessages unknownModels)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        var route = await virtualModels.ResolveAsync(model.Config, model.Requested, context.RequestAborted);
        if (route.Error is { } routeError)
        {
            await ErrorResponses.WriteAsync(context, routeError.Status, routeError.Message);
            return;
        }

        model.SelectorReservation = route.Reservation;
        if (route.Name != model.Requested)
        {
            (model.Body, model.ContentType) = await RequestModelRewriter.RewriteAsync(context.Request, model.Body, model.ContentType, route.Name);
            model.Name = route.Name;
        }

        model.ModelId = model.Config.ResolveModelId(model.Name);
        model.Peer = model.ModelId is null ? model.Config.ResolvePeer(model.Name) : null;
        if (model.ModelId is null && model.Peer is null)
        {
            var message = unknownModels.NoRouterFor(model.Config, model.Requested, context.Features.Get<KeyClaim>());
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, message);
            return;
        }

        await next(context);
    }
}
