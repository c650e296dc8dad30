namespace LlamaSwap.Cli.Start;

/// <summary><c>llamaswap [start]</c>: llama-swap's flags, and the seed stack's <c>start.sh</c> flags.</summary>
internal sealed record StartOptions
{
    public const int DefaultProxyPort = 3000;
    public const int DefaultGatewayPort = 8080;

    /// <summary>Absolute; null with no <see cref="ConfigDir"/> = the demo config.</summary>
    public string? ConfigPath { get; init; }

    public string? ConfigDir { get; init; }

    /// <summary>The public front door (the auth proxy).</summary>
    public ListenAddress Listen { get; init; } = new(null, DefaultProxyPort);

    /// <summary>PEM certificate and key for HTTPS on the front door; both or neither.</summary>
    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    public bool Tls => TlsCertFile is not null;

    /// <summary>The gateway on loopback; null = 8080, or a free port when the front door takes 8080.</summary>
    public int? GatewayPort { get; init; }

    /// <summary>Null = a free loopback port.</summary>
    public int? SupervisorPort { get; init; }

    /// <summary>An existing Redis; null = start redis-server.</summary>
    public string? Redis { get; init; }

    /// <summary>Reload the config when its file changes: on by default, as the seed's <c>start.sh</c>.</summary>
    public bool WatchConfig { get; init; } = true;

    /// <summary>Detach: log to a file, write a pid file, return once the front door answers.</summary>
    public bool Background { get; init; }

    public required string StateDirectory { get; init; }
}
