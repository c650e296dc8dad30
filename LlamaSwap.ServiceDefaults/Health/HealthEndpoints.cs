using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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

        // Readiness: 200 when every dependency answers, 503 (same JSON) when one does not.
        endpoints.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains(HealthChecksExtensions.ReadyTag),
            ResponseWriter = HealthJsonWriter.WriteAsync,
        }).ExcludeFromDescription();
        return endpoints;
    }
}
