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

    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
        LlamaSwapTelemetry.MeterName,
        LlamaSwapTelemetry.Wildcard,
    ];

    /// <summary>
    /// Builds the OpenTelemetry SDK (no hosting package exists in our feed) as a DI singleton, so the
    /// container disposes it, flushing exporters, on shutdown. Sources and meters are subscribed only
    /// when an OTLP endpoint is configured: an ActivityListener or MeterListener without an exporter
    /// would make every request pay for activities and measurements nobody reads.
    /// </summary>
    public static void AddDefaultOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var settings = OtlpSettings.From(builder.Configuration, builder.Environment.ApplicationName);

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ => CreateSdk(settings));
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

    private static OpenTelemetrySdk CreateSdk(OtlpSettings settings) => OpenTelemetrySdk.Create(sdk =>
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
            if (settings.IsEnabled)
            {
                metrics.AddMeter(Meters);
                metrics.AddOtlpExporter(otlp => Configure(otlp, settings, "v1/metrics"));
            }
        });
    });

    private static void Configure(OtlpExporterOptions options, OtlpSettings settings, string signalPath)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = settings.SignalEndpoint(signalPath);
    }
}
