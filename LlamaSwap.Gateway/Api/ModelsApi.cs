using LlamaSwap.Core.Http;
using LlamaSwap.Core.Security;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Gateway.Profiles;
using LlamaSwap.Gateway.Supervision;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary>Model listing, running processes and unloading (reference sections 2.2, 2.3).</summary>
internal static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Models, ListModelsAsync);
        endpoints.MapRoute(GatewayRoutes.ModelsShort, ListModelsAsync);
        endpoints.MapRoute(GatewayRoutes.Running, RunningAsync);
        endpoints.MapRoute(GatewayRoutes.UnloadAll, UnloadAllAsText);
        endpoints.MapRoute(GatewayRoutes.ApiUnloadAll, UnloadAllAsJson);
        endpoints.MapRoute(GatewayRoutes.ApiUnloadModel, UnloadModelAsync);
        return endpoints;
    }

    private static async Task<IResult> ListModelsAsync(
        HttpContext context, ConfigHolder config, ModelStateReader states, ActiveProfile profile, VirtualModelResolver names, TimeProvider time)
    {
        var snapshot = config.Current;
        var current = await states.GetAllAsync(context.RequestAborted);
        if (context.Request.Headers.Origin is { Count: > 0 } origin)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
        }

        var list = ModelListing.Build(snapshot, current, time.GetUtcNow().ToUnixTimeSeconds(), profile.For(snapshot));
        if (context.Features.Get<KeyClaim>() is { AllowsEveryModel: false } claim)
        {
            // A restricted key lists only the names whose every possible target its globs admit.
            list = list with
            {
                Data = [.. list.Data.Where(entry => names.IsVisibleTo(snapshot, entry.Id, claim))],
            };
        }

        return Results.Json(list, GatewayJson.Options);
    }

    private static async Task<IResult> RunningAsync(HttpContext context, ModelStateReader states)
    {
        var current = await states.GetAllAsync(context.RequestAborted);
        return current is null
            ? ErrorResponses.Result(StatusCodes.Status503ServiceUnavailable, "model state unavailable")
            : Results.Json(RunningModels.Build(current.Values), GatewayJson.Options);
    }

    // GET /unload: text for llama-swap's clients.
    private static async Task<IResult> UnloadAllAsText(HttpContext context, SupervisorClient supervisor)
        => ToResult(context.Request, await supervisor.UnloadAllAsync(context.RequestAborted), jsonByDefault: false);

    // POST /api/models/unload: JSON, as llama-swap answers it.
    private static async Task<IResult> UnloadAllAsJson(HttpContext context, SupervisorClient supervisor)
        => ToResult(context.Request, await supervisor.UnloadAllAsync(context.RequestAborted), jsonByDefault: true);

    private static async Task<IResult> UnloadModelAsync(
        string model, HttpContext context, ConfigHolder config, SupervisorClient supervisor, UnknownModelMessages unknownModels)
    {
        var snapshot = config.Current;
        if (snapshot.ResolveModelId(model) is not { } modelId)
        {
            return UnloadResults.Error(context.Request, StatusCodes.Status404NotFound, unknownModels.NotFoundForUnload(snapshot, model));
        }

        return ToResult(context.Request, await supervisor.UnloadModelAsync(modelId, context.RequestAborted), jsonByDefault: false);
    }

    private static IResult ToResult(HttpRequest request, SupervisorCallResult result, bool jsonByDefault)
        => result.Succeeded
            ? UnloadResults.Ok(request, jsonByDefault)
            : UnloadResults.Error(request, result.StatusCode, result.Message ?? "unload failed", result.Code);
}
