namespace LlamaSwap.AppHost.Resources;

/// <summary>
/// How one target (local processes, Aspire manifest, docker-compose) spells addresses and paths.
/// <see cref="ResourceEnvironment"/> decides which variables each resource gets; a target only
/// renders their values.
/// </summary>
internal interface IWiringTarget
{
    /// <summary>The Redis connection string (<c>host:port</c>) as the services should use it.</summary>
    string ConnectionString(ResourceSpec redis);

    /// <summary>The base URL other services use to reach <paramref name="resource"/>.</summary>
    string HttpUrl(ResourceSpec resource);

    /// <summary>The value of <c>ASPNETCORE_URLS</c> for <paramref name="resource"/>.</summary>
    string ListenUrls(ResourceSpec resource);

    string ConfigPath { get; }

    string RunDirectory { get; }

    /// <summary>Passed through when tracing is wanted; null = not set.</summary>
    string? OtlpEndpoint { get; }
}
