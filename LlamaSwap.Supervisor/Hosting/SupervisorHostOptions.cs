using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;

namespace LlamaSwap.Supervisor.Hosting;

/// <summary>The supervisor's host settings (the keys Aspire and the AppHost set, and its own section), validated at start-up.</summary>
internal sealed record SupervisorHostOptions
{
    public const string GatewayTimeoutKey = "Supervisor:GatewayTimeoutSeconds";

    /// <summary>Redis, when the model state is shared with the gateways (unset: in-process state).</summary>
    [ConfigurationKeyName(WiringEnvironment.RedisConnectionKey)]
    public string? RedisConnectionString { get; init; }

    [ConfigurationKeyName(WiringEnvironment.ConfigPathKey)]
    public string? ConfigPath { get; init; }

    [ConfigurationKeyName(WiringEnvironment.ConfigDirKey)]
    public string? ConfigDirectory { get; init; }

    /// <summary>Seconds without a heartbeat after which a gateway's leases are released; the scheduler's default when unset.</summary>
    [ConfigurationKeyName(GatewayTimeoutKey)]
    public int? GatewayTimeoutSeconds { get; init; }
}
