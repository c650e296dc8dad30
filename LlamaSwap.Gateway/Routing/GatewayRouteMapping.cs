namespace LlamaSwap.Gateway.Routing;

/// <summary>Maps a gateway endpoint from its <see cref="GatewayRoutes"/> entry, which it carries as metadata.</summary>
internal static class GatewayRouteMapping
{
    public static IEndpointConventionBuilder MapRoute(this IEndpointRouteBuilder endpoints, GatewayRoute route, Delegate handler)
        => (route.Methods.Count == 0 ? endpoints.Map(route.Pattern, handler) : endpoints.MapMethods(route.Pattern, route.Methods, handler))
            .WithMetadata(route);

    public static IEndpointConventionBuilder MapRoute(this IEndpointRouteBuilder endpoints, GatewayRoute route, RequestDelegate handler)
        => (route.Methods.Count == 0 ? endpoints.Map(route.Pattern, handler) : endpoints.MapMethods(route.Pattern, route.Methods, handler))
            .WithMetadata(route);
}
