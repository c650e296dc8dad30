namespace LlamaSwap.AppHost.Model;

/// <summary>Everything the app model needs from the command line, resolved (absolute paths, chosen ports).</summary>
internal sealed record StackSettings
{
    /// <summary>The llama-swap config every service reads; empty when only <see cref="ConfigDir"/> is given.</summary>
    public required string ConfigPath { get; init; }

    public string? ConfigDir { get; init; }

    /// <summary>Where the supervisor records the upstreams it spawns (the AppHost reaps them after a crash).</summary>
    public required string RunDirectory { get; init; }

    public required int SupervisorPort { get; init; }

    public required int GatewayPort { get; init; }

    public required int ProxyPort { get; init; }

    /// <summary>Port of the Redis the AppHost starts; ignored with <see cref="ExternalRedis"/>.</summary>
    public required int RedisPort { get; init; }

    /// <summary>An existing Redis to use instead of starting one.</summary>
    public string? ExternalRedis { get; init; }

    public bool WatchConfig { get; init; }

    /// <summary>Where the user started the AppHost: the auth proxy looks for a <c>config.json</c> of keys there too; null when published.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The key-claim secret shared by the auth proxy and the gateway; null when published (compose takes it from its environment).</summary>
    public string? InternalSecret { get; init; }

    /// <summary>
    /// Whether the services export telemetry to the OTLP endpoint Aspire gives them. Off for a local
    /// run without the dashboard: nobody listens there, and tracing every request then only costs
    /// (docs/PERFORMANCE.md). Prometheus <c>/metrics</c> is served either way.
    /// </summary>
    public bool ExportTelemetry { get; init; } = true;

    /// <summary>Short export intervals for the local dashboard; a deployment keeps the SDK's defaults.</summary>
    public bool DashboardTelemetryIntervals { get; init; }
}
