using Microsoft.Extensions.Configuration;

namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>Where (and whether) telemetry is exported, read once from configuration at start-up.</summary>
internal sealed record OtlpSettings(string ServiceName, string? Endpoint)
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    public const string BatchDelayVariable = "OTEL_BSP_SCHEDULE_DELAY";
    public const string MetricIntervalVariable = "OTEL_METRIC_EXPORT_INTERVAL";

    /// <summary>
    /// <c>OTEL_BSP_SCHEDULE_DELAY</c> in ms (the SDK's default is 5000). Read from the service's own
    /// configuration, not only the environment the SDK's internal container sees, so command-line and
    /// appsettings values apply too.
    /// </summary>
    public int? BatchDelayMilliseconds { get; init; }

    /// <summary><c>OTEL_METRIC_EXPORT_INTERVAL</c> in ms (the SDK's default is 60000).</summary>
    public int? MetricIntervalMilliseconds { get; init; }

    public bool IsEnabled => Endpoint is not null;

    public static OtlpSettings From(IConfiguration configuration, string applicationName)
    {
        var serviceName = configuration[ServiceNameVariable];
        var endpoint = configuration[EndpointVariable];
        return new OtlpSettings(
            string.IsNullOrWhiteSpace(serviceName) ? applicationName : serviceName,
            string.IsNullOrWhiteSpace(endpoint) ? null : endpoint.TrimEnd('/'))
        {
            BatchDelayMilliseconds = Milliseconds(configuration[BatchDelayVariable]),
            MetricIntervalMilliseconds = Milliseconds(configuration[MetricIntervalVariable]),
        };
    }

    private static int? Milliseconds(string? value)
        => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : null;

    /// <summary>
    /// The signal's full URL: with HttpProtobuf set in code the exporter uses the endpoint as-is,
    /// so the per-signal path the OTLP spec defines has to be appended here.
    /// </summary>
    public Uri SignalEndpoint(string signalPath) => new($"{Endpoint}/{signalPath}");
}
