using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlamaSwap.ServiceDefaults.Telemetry;

internal static class OpenTelemetryExtensions
{
    private static readonly string[] OwnSources = [LlamaSwapTelemetry.ActivitySourceName, LlamaSwapTelemetry.Wildcard];

    /// <summary>LlamaSwap's own meters: few instruments, recorded once per model request or observed per scrape.</summary>
    internal static readonly string[] OwnMeters = [LlamaSwapTelemetry.MeterName, LlamaSwapTelemetry.Wildcard];

    /// <summary>
    /// Registers the OpenTelemetry SDK in DI (the host starts it before the server accepts requests
    /// and disposes it, flushing exporters, on shutdown). Trace sources, the framework's
    /// instrumentation and LlamaSwap's meters are subscribed only when an OTLP endpoint is
    /// configured: an ActivityListener or MeterListener without an exporter would make every request
    /// pay for activities and measurements nobody reads. A service that serves <c>/metrics</c> adds
    /// its own reader (<see cref="PrometheusScrapingExtensions.AddPrometheusScraping"/>); with OTLP on,
    /// a scrape also shows the framework's metrics, since one MeterProvider serves both readers.
    /// The exporter reads the standard <c>OTEL_*</c> settings itself: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
    /// (gRPC by default, as the Aspire dashboard expects; <c>http/protobuf</c> appends the per-signal
    /// paths), <c>OTEL_BSP_SCHEDULE_DELAY</c>, <c>OTEL_BLRP_SCHEDULE_DELAY</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>.
    /// </summary>
    public static void AddDefaultOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var settings = OtlpSettings.From(builder.Configuration, builder.Environment.ApplicationName);
        builder.Services.AddSingleton(settings);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName));
        if (!settings.IsEnabled)
        {
            return;
        }

        telemetry
            .WithTracing(tracing => tracing
                .AddSource(OwnSources)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHousekeeping(context.Request.Path.Value))
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => !IsHousekeeping(request.RequestUri?.AbsolutePath))
                .AddRedisInstrumentation()
                .ConfigureRedisInstrumentation(static (services, redis) =>
                {
                    // The connector opens its multiplexer lazily; its commands are traced from then on.
                    services.GetService<RedisConnector>()?.WhenOpened(connection => redis.AddConnection(connection));
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(OwnMeters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .UseOtlpExporter();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
    }

    /// <summary>
    /// Health probes (the AppHost's and load balancers', every few seconds) and the gateways'
    /// heartbeats are not traced: as traces they would bury the requests people look for.
    /// </summary>
    internal static bool IsHousekeeping(string? path) => path is not null
        && (path is "/health" or "/alive" or "/ready" || path.StartsWith(SupervisorApi.Heartbeat, StringComparison.Ordinal));
}
