namespace LlamaSwap.AppHost.Cli;

/// <summary>Options of the default command: run every service locally.</summary>
internal sealed record RunOptions : AppHostCommand
{
    public const int DefaultGatewayPort = 8080;
    public const int DefaultProxyPort = 3000;

    /// <summary>Absolute path of the llama-swap config; null with no <see cref="ConfigDir"/> = write and serve the demo config.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Absolute path of a directory of <c>*.yml</c>/<c>*.yaml</c> files merged after <see cref="ConfigPath"/>.</summary>
    public string? ConfigDir { get; init; }

    public int GatewayPort { get; init; } = DefaultGatewayPort;

    public int ProxyPort { get; init; } = DefaultProxyPort;

    /// <summary>Null = a free loopback port.</summary>
    public int? SupervisorPort { get; init; }

    /// <summary>An existing Redis to use instead of starting one.</summary>
    public string? RedisConnectionString { get; init; }

    /// <summary>Port of the Aspire dashboard on loopback; its OTLP receiver takes the next one.</summary>
    public int DashboardPort { get; init; } = LlamaSwap.AppHost.Dashboard.DashboardSettings.DefaultPort;

    /// <summary>Run the Aspire dashboard (and export telemetry to it).</summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>Arguments after <c>--</c>, handed to Aspire unchanged.</summary>
    public IReadOnlyList<string> AspireArgs { get; init; } = [];

    /// <summary>The services poll the config file and reload it when it changes.</summary>
    public bool WatchConfig { get; init; }
}
