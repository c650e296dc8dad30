using LlamaSwap.Core.Http;
using LlamaSwap.Core.Http.ModelExtraction;
using LlamaSwap.Gateway.Activity;
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
        endpoints.Map("/upstream/{**path}", (RequestDelegate)(context
            => TrackedAsync(context, recordPost: false, static (forwarder, context) => forwarder.ForwardUpstreamAsync(context))));
        endpoints.MapPost("/api/inflight/{id}/cancel", (string id, InflightRequests inflight) =>
            long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && inflight.Cancel(number)
                ? Results.Json(new { msg = "ok" })
                : ErrorResponses.Result(StatusCodes.Status404NotFound, "inflight request not found"));
        return endpoints;
    }

    private static Task Forward(HttpContext context)
        => TrackedAsync(context, recordPost: true, static (forwarder, context) => forwarder.ForwardInferenceAsync(context));

    /// <summary>
    /// In flight while <paramref name="forward"/> runs; then, with the response complete, handed to the
    /// activity recorder (the forwarder decides for <c>/upstream</c>, which only records some routes).
    /// </summary>
    private static async Task TrackedAsync(HttpContext context, bool recordPost, Func<ModelForwarder, HttpContext, Task> forward)
    {
        var services = context.RequestServices;
        var recorder = services.GetRequiredService<ActivityRecorder>();
        var tracked = services.GetRequiredService<InflightRequests>().Track(context);
        try
        {
            if (recordPost && recorder.Enabled && HttpMethods.IsPost(context.Request.Method))
            {
                ActivityTap.Attach(context, tracked.Request, teeRequestBody: false);
            }

            await forward(services.GetRequiredService<ModelForwarder>(), context);
        }
        finally
        {
            tracked.Dispose();
            recorder.Post(tracked.Request);
        }
    }
}
