using LlamaSwap.Core.Hosting;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary><c>GET /api/version</c>: <c>{"version","commit","build_date"}</c> as llama-swap answers it (reference 2.3).</summary>
internal static class VersionApi
{
    public static IEndpointRouteBuilder MapVersionApi(this IEndpointRouteBuilder endpoints)
    {
        var info = BuildInfo.Of(typeof(VersionApi).Assembly);
        endpoints.MapRoute(GatewayRoutes.Version, () => Results.Json(info));
        return endpoints;
    }
}
