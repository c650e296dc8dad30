using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary>Maps the model-dispatched routes and <c>/upstream</c> onto the forwarding pipeline.</summary>
internal static class InferenceApi
{
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder endpoints)
    {
        foreach (var route in InferenceRoutes.JsonPost.Concat(InferenceRoutes.MultipartPost))
        {
            endpoints.MapPost(route, Forward);
        }

        foreach (var route in InferenceRoutes.QueryGet)
        {
            endpoints.MapGet(route, Forward);
        }

        endpoints.MapGet("/upstream", () => Results.Redirect("/ui/models"));
        endpoints.Map("/upstream/{**path}", (RequestDelegate)(async context =>
        {
            using var tracked = context.RequestServices.GetRequiredService<InflightRequests>().Track(context);
            await context.RequestServices.GetRequiredService<ModelForwarder>().ForwardUpstreamAsync(context);
        }));
        endpoints.MapPost("/api/inflight/{id}/cancel", (string id, InflightRequests inflight) =>
            long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && inflight.Cancel(number)
                ? Results.Json(new { msg = "ok" })
                : ErrorResponses.Result(StatusCodes.Status404NotFound, "inflight request not found"));
        return endpoints;
    }

    private static async Task Forward(HttpContext context)
    {
        using var tracked = context.RequestServices.GetRequiredService<InflightRequests>().Track(context);
        await context.RequestServices.GetRequiredService<ModelForwarder>().ForwardInferenceAsync(context);
    }
}
