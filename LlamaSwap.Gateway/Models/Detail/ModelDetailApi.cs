using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Api;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Models.History;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Models.Detail;

/// <summary>
/// LlamaSwap additions for the UI's model pages: <c>GET /api/models/history</c> (state changes, with
/// each swap's cost) and <c>GET /api/models/config/{model}</c> (one model's redacted config).
/// </summary>
internal static class ModelDetailApi
{
    public static IEndpointRouteBuilder MapModelDetailApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.ModelHistory, (HttpRequest request, ModelStateHistory history, ConfigHolder config) =>
        {
            var requested = request.Query["model"].ToString();
            if (requested.Length == 0)
            {
                return Results.Json(history.Snapshot(), GatewayJson.Options);
            }

            // An alias shows its model's history; an unknown name an empty one (it may have been removed by a reload).
            return Results.Json(history.Snapshot(config.Current.ResolveModelId(requested) ?? requested), GatewayJson.Options);
        });
        endpoints.MapRoute(GatewayRoutes.ModelConfig, (string model, ConfigHolder config) =>
        {
            var snapshot = config.Current;
            return snapshot.ResolveModelId(model) is { } id && snapshot.Models.TryGetValue(id, out var found)
                ? Results.Json(ModelConfigView.Of(snapshot, found), GatewayJson.Options)
                : ErrorResponses.Result(StatusCodes.Status404NotFound, "model not found");
        });
        return endpoints;
    }

    public static IServiceCollection AddModelHistory(this IServiceCollection services)
    {
        services.AddSingleton<ModelStateHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelStateHistory>());
        return services;
    }
}
