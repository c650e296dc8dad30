using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlamaSwap.ServiceDefaults.Health;

internal static class HealthEndpoints
{
    // Results are immutable: one instance each keeps health probes allocation-free beyond ASP.NET's own.
    private static readonly IResult Healthy = TypedResults.Text("OK", "text/plain");
    private static readonly IResult Alive = TypedResults.Ok();

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", static () => Healthy).ExcludeFromDescription();
        endpoints.MapGet("/alive", static () => Alive).ExcludeFromDescription();
        return endpoints;
    }
}
