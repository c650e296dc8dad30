using LlamaSwap.Gateway.Metrics.Performance.Hardware;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary><c>GET /api/hardware</c>: the snapshot detected at start-up, or 503 <c>hardware detection unavailable</c> (reference 2.3).</summary>
internal static class HardwareApi
{
    public static IEndpointRouteBuilder MapHardwareApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Hardware, (HardwareState hardware) => hardware.Current is { } snapshot
            ? Results.Json(snapshot, GatewayJson.Options)
            : Results.Text("hardware detection unavailable", statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
