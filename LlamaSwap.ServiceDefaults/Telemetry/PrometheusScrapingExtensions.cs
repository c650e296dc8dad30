using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>
/// <c>GET /metrics</c> from OpenTelemetry's Prometheus exporter (ASP.NET Core hosting): LlamaSwap's meters (and, when OTLP
/// export is on, the framework's) as Prometheus text 0.0.4, named by the OpenTelemetry rules
/// (<c>.</c> becomes <c>_</c>, unit <c>s</c> adds <c>_seconds</c>, <c>By</c> <c>_bytes</c>, an
/// annotation such as <c>{token}</c> nothing, counters end in <c>_total</c>).
/// </summary>
public static class PrometheusScrapingExtensions
{
    /// <summary>Subscribes LlamaSwap's meters for OpenTelemetry's Prometheus pull reader; the service maps it with <c>MapPrometheusScrapingEndpoint("/metrics")</c>.</summary>
    public static IServiceCollection AddPrometheusScraping(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OpenTelemetryExtensions.OwnMeters)
            .AddPrometheusExporter(prometheus =>
            {
                // Every scrape collects: a cached answer would hide a request counted a moment ago.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;

                // The series keep exactly the labels they are documented with (llama-swap's names and
                // ours); scope labels and target_info would add to every sample and say nothing new here.
                prometheus.ScopeInfoEnabled = false;
                prometheus.TargetInfoEnabled = false;
            }));
        return services;
    }
}
