using Microsoft.Extensions.Configuration;

namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>Where (and whether) telemetry is exported, read once from configuration at start-up.</summary>
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
            string.IsNullOrWhiteSpace(endpoint) ? null : endpoint.TrimEnd('/'));
    }

    /// <summary>
    /// The signal's full URL: with HttpProtobuf set in code the exporter uses the endpoint as-is,
    /// so the per-signal path the OTLP spec defines has to be appended here.
    /// </summary>
    public Uri SignalEndpoint(string signalPath) => new($"{Endpoint}/{signalPath}");
}
