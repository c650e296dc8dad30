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
                Data = [.. list.Data.Where(entry => names.PossibleTargets(snapshot, entry.Id) is { Count: > 0 } targets && targets.All(claim.AllowsModel))],
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

    private static async Task<IResult> UnloadAllAsText(HttpContext context, SupervisorClient supervisor)
        => ToResult(await supervisor.UnloadAllAsync(context.RequestAborted), Results.Text("OK"));

    private static async Task<IResult> UnloadAllAsJson(HttpContext context, SupervisorClient supervisor)
        => ToResult(await supervisor.UnloadAllAsync(context.RequestAborted), Results.Json(new { msg = "ok" }));

    private static async Task<IResult> UnloadModelAsync(string model, HttpContext context, ConfigHolder config, SupervisorClient supervisor)
    {
        if (config.Current.ResolveModelId(model) is not { } modelId)
        {
            return ErrorResponses.Result(StatusCodes.Status404NotFound, "model not found");
        }

        return ToResult(await supervisor.UnloadModelAsync(modelId, context.RequestAborted), Results.Text("OK"));
    }

    private static IResult ToResult(SupervisorCallResult result, IResult success)
        => result.Succeeded
            ? success
            : ErrorResponses.Result(result.StatusCode, result.Message ?? "unload failed", result.Code);
}
