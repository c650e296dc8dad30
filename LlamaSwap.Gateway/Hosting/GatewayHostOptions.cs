using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;

namespace LlamaSwap.Gateway.Hosting;

/// <summary>How the gateway is wired to the rest (the keys Aspire and the AppHost set), validated at start-up.</summary>
internal sealed record GatewayHostOptions
{
    /// <summary>The supervisor's base URL (required).</summary>
    [ConfigurationKeyName(WiringEnvironment.SupervisorUrlKey)]
    public string? SupervisorUrl { get; init; }

    /// <summary>Redis, when the model state is shared (unset: in-process state).</summary>
    [ConfigurationKeyName(WiringEnvironment.RedisConnectionKey)]
    public string? RedisConnectionString { get; init; }

    [ConfigurationKeyName(WiringEnvironment.ConfigPathKey)]
    public string? ConfigPath { get; init; }

    [ConfigurationKeyName(WiringEnvironment.ConfigDirKey)]
    public string? ConfigDirectory { get; init; }

    /// <summary>The validated <see cref="SupervisorUrl"/>.</summary>
    public Uri SupervisorUri => new(SupervisorUrl!, UriKind.Absolute);
}
