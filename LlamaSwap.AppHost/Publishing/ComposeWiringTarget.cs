using LlamaSwap.AppHost.Resources;

namespace LlamaSwap.AppHost.Publishing;

/// <summary>Wiring inside a compose network: services reach each other by service name.</summary>
internal sealed class ComposeWiringTarget : IWiringTarget
{
    public string ConfigPath => Deployment.ConfigMountPath;

    public string RunDirectory => Deployment.RunDirectory;

    // Compose interpolation: empty (telemetry export off) unless set where `docker compose` runs.
    public string? OtlpEndpoint => "${OTEL_EXPORTER_OTLP_ENDPOINT:-}";

    public string ConnectionString(ResourceSpec redis) => $"{redis.Name}:{Deployment.RedisPort}";

    public string HttpUrl(ResourceSpec resource) => $"http://{resource.Name}:{Deployment.ContainerHttpPort}";

    public string ListenUrls(ResourceSpec resource) => $"http://+:{Deployment.ContainerHttpPort}";
}
