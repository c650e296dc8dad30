using System.Globalization;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// <c>POST /api/inflight/{id}/cancel</c>: aborts one in-flight request, this gateway's (a decimal id)
/// or another gateway's (an id <see cref="RemoteInflight"/> lists: the cancel is sent to that gateway).
/// </summary>
internal static class InflightApi
{
    public static IEndpointRouteBuilder MapInflightApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.CancelInflight, (string id, InflightRequests inflight, SharedInflightFeed shared) =>
            (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && inflight.Cancel(number)) || shared.CancelRemote(id)
                ? Results.Json(new { msg = "ok" })
                : ErrorResponses.Result(StatusCodes.Status404NotFound, "inflight request not found"));
        return endpoints;
    }
}
