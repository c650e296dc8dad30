using LlamaSwap.ServiceDefaults.Health;
using LlamaSwap.ServiceDefaults.Hosting;
using LlamaSwap.ServiceDefaults.Logging;
using LlamaSwap.ServiceDefaults.Telemetry;
using LlamaSwap.ServiceDefaults.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.ServiceDefaults;

/// <summary>Cross-cutting defaults every LlamaSwap service applies: telemetry, health endpoints, logging.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds single-line console logging, OpenTelemetry (tracing, metrics and, when an OTLP
    /// endpoint is configured, log export) and the readiness checks every service shares (Redis).
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddDefaultConsoleLogging();
        builder.AddDefaultOpenTelemetry();
        builder.Services.AddDefaultHealthChecks();
        builder.AddInlineKestrelScheduling();
        builder.AddParentProcessWatchWhenAsked();
        return builder;
    }

    /// <summary>
    /// Maps <c>GET /health</c> (200 <c>OK</c>, text, llama-swap's liveness answer; used by the AppHost
    /// and load balancers), <c>GET /alive</c> (200; liveness only) and <c>GET /ready</c> (readiness:
    /// Redis and the next hop, JSON, 503 when one is down).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        return app;
    }
}
