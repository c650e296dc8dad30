using LlamaSwap.Gateway.Forwarding;
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
        endpoints.Map("/upstream/{**path}", (RequestDelegate)(context =>
            context.RequestServices.GetRequiredService<ModelForwarder>().ForwardUpstreamAsync(context)));
        return endpoints;
    }

    private static Task Forward(HttpContext context)
        => context.RequestServices.GetRequiredService<ModelForwarder>().ForwardInferenceAsync(context);
}
