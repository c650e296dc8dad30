using System.Globalization;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Api;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Activity;

/// <summary><c>/api/metrics/activity</c>, <c>/api/metrics/stats</c> and <c>/api/captures/{id}</c> (reference 2.3, 2.4.2, 2.4.3).</summary>
internal static class ActivityApi
{
    public static IEndpointRouteBuilder MapActivityApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Activity, (HttpRequest request, ActivityStore store) =>
        {
            var query = ActivityQuery.Parse(request.Query, out var error);
            return query is null
                ? ErrorResponses.Result(StatusCodes.Status400BadRequest, error!)
                : Results.Json(store.Query(query), GatewayJson.Options);
        });
        endpoints.MapRoute(GatewayRoutes.ActivityStats, (HttpRequest request, ActivityStore store)
            => Results.Json(store.Stats(request.Query["model"].ToString()), GatewayJson.Options));

        endpoints.MapRoute(GatewayRoutes.Capture, (string id, ActivityStore store) =>
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return ErrorResponses.Result(StatusCodes.Status400BadRequest, "invalid capture id");
            }

            return store.Capture(number) is { } capture
                ? Results.Json(capture, GatewayJson.Options)
                : ErrorResponses.Result(StatusCodes.Status404NotFound, "capture not found");
        });
        return endpoints;
    }

    /// <summary>The stores, the recorder and its options.</summary>
    public static IServiceCollection AddActivityRecording(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ActivityOptions>(configuration.GetSection(ActivityOptions.SectionName));
        services.AddSingleton<ActivityStore>();
        services.AddSingleton<ActivityRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ActivityRecorder>());
        return services;
    }
}
