using LlamaSwap.ServiceDefaults.Telemetry.Prometheus;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlamaSwap.ServiceDefaults.Telemetry;

internal static class OpenTelemetryExtensions
{
    private static readonly string[] TraceSources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        LlamaSwapTelemetry.ActivitySourceName,
        LlamaSwapTelemetry.Wildcard,
    ];

    /// <summary>LlamaSwap's own meters: few instruments, recorded once per model request or observed per scrape.</summary>
    private static readonly string[] OwnMeters = [LlamaSwapTelemetry.MeterName, LlamaSwapTelemetry.Wildcard];

    /// <summary>The framework's meters: they measure every HTTP request and connection, so only when exported.</summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
    ];

    /// <summary>
    /// Builds the OpenTelemetry SDK (no hosting package exists in our feed) as a DI singleton, so the
    /// container disposes it, flushing exporters, on shutdown. Trace sources and the framework's
    /// meters are subscribed only when an OTLP endpoint is configured: an ActivityListener or
    /// MeterListener without an exporter would make every request pay for activities and
    /// measurements nobody reads. LlamaSwap's own meters are always subscribed, for the Prometheus
    /// pull exporter (<see cref="PrometheusEndpointExtensions.MapPrometheusEndpoint"/>); with OTLP on,
    /// a scrape also shows the framework's metrics, since one MeterProvider serves both readers.
    /// </summary>
    public static void AddDefaultOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var settings = OtlpSettings.From(builder.Configuration, builder.Environment.ApplicationName);

        // Registered as an instance: the SDK's metric reader owns (and disposes) the exporter.
        var prometheus = new PrometheusExporter();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(prometheus);
        builder.Services.AddSingleton(_ => CreateSdk(settings, prometheus));
        builder.Services.AddHostedService<TelemetryActivator>();

        if (!settings.IsEnabled)
        {
            return;
        }

        builder.Services.AddSingleton<IStartupFilter, ServerSpanTagsStartupFilter>();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(settings.ServiceName));
            logging.IncludeFormattedMessage = true;
            logging.AddOtlpExporter(otlp => Configure(otlp, settings, "v1/logs"));
        });
    }

    private static OpenTelemetrySdk CreateSdk(OtlpSettings settings, PrometheusExporter prometheus) => OpenTelemetrySdk.Create(sdk =>
    {
        sdk.ConfigureResource(resource => resource.AddService(settings.ServiceName));
        sdk.WithTracing(tracing =>
        {
            if (settings.IsEnabled)
            {
                tracing.AddSource(TraceSources);
                tracing.AddOtlpExporter(otlp => Configure(otlp, settings, "v1/traces"));
            }
        });
        sdk.WithMetrics(metrics =>
        {
            metrics.AddMeter(OwnMeters);
            metrics.AddReader(new BaseExportingMetricReader(prometheus));
            if (settings.IsEnabled)
            {
                metrics.AddMeter(FrameworkMeters);
                metrics.AddOtlpExporter((otlp, reader) =>
                {
                    Configure(otlp, settings, "v1/metrics");
                    if (settings.MetricIntervalMilliseconds is { } interval)
                    {
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                    }
                });
            }
        });
    });

    private static void Configure(OtlpExporterOptions options, OtlpSettings settings, string signalPath)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = settings.SignalEndpoint(signalPath);
        if (settings.BatchDelayMilliseconds is { } delay)
        {
            // Spans leave in batches; tests and short-lived runs want them sooner than 5 s.
            options.BatchExportProcessorOptions.ScheduledDelayMilliseconds = delay;
        }
    }
}
