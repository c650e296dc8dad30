using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.ServiceDefaults.Telemetry.Prometheus;

/// <summary>Serves the process's LlamaSwap metrics (and, when OTLP export is on, the framework's) as Prometheus text.</summary>
public static class PrometheusEndpointExtensions
{
    /// <summary>
    /// Maps <c>GET <paramref name="path"/></c> to a scrape: 200 with text format 0.0.4, or 503 when the
    /// SDK cannot collect (shutting down).
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder endpoints, string path = "/metrics")
        => endpoints.MapGet(path, static async (HttpContext context) =>
        {
            var exporter = context.RequestServices.GetRequiredService<PrometheusExporter>();
            var text = await exporter.ScrapeAsync(context.RequestAborted);
            return text is null
                ? Results.Text("# metrics collection failed\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text(text, PrometheusTextWriter.ContentType);
        }).ExcludeFromDescription();
}
