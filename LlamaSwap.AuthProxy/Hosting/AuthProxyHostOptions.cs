using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;

namespace LlamaSwap.AuthProxy.Hosting;

/// <summary>How the auth proxy is wired to the rest (the keys Aspire and the AppHost set), validated at start-up.</summary>
internal sealed record AuthProxyHostOptions
{
    public const string DefaultGatewayUrl = "http://127.0.0.1:8080";

    /// <summary>The gateway's base URL; the gateway's default address when unset.</summary>
    [ConfigurationKeyName(WiringEnvironment.GatewayUrlKey)]
    public string? GatewayUrl { get; init; }

    /// <summary>Redis, when key limits are shared between proxies (unset: per-process limits).</summary>
    [ConfigurationKeyName(WiringEnvironment.RedisConnectionKey)]
    public string? RedisConnectionString { get; init; }

    /// <summary>The gateway's validated base URL, without a trailing slash.</summary>
    public string GatewayBaseUrl => string.IsNullOrWhiteSpace(GatewayUrl) ? DefaultGatewayUrl : GatewayUrl.TrimEnd('/');
}
