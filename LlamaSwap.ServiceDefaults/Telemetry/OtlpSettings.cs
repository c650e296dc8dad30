using Microsoft.Extensions.Configuration;

namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>
/// Whether telemetry is exported, and under which service name, read once from configuration at
/// start-up. Everything else about the export (protocol, per-signal endpoints and paths, headers,
/// <c>OTEL_BSP_SCHEDULE_DELAY</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, ...) the OpenTelemetry SDK reads
/// itself from the same <see cref="IConfiguration"/>, so command-line and appsettings values apply too.
/// </summary>
internal sealed record OtlpSettings(string ServiceName, string? Endpoint)
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    public bool IsEnabled => Endpoint is not null;

    public static OtlpSettings From(IConfiguration configuration, string applicationName)
    {
        var serviceName = configuration[ServiceNameVariable];
        var endpoint = configuration[EndpointVariable];
        return new OtlpSettings(
            string.IsNullOrWhiteSpace(serviceName) ? applicationName : serviceName,
            string.IsNullOrWhiteSpace(endpoint) ? null : endpoint);
    }
}
