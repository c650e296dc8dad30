using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlamaSwap.Core.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers the process's one <see cref="RedisConnector"/> when <c>ConnectionStrings:redis</c> is
    /// set (every Redis user in the process resolves this one; DI disposes it). Returns whether Redis is configured.
    /// </summary>
    public static bool AddRedisConnector(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[WiringEnvironment.RedisConnectionKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        services.TryAddSingleton(_ => new RedisConnector(connectionString));
        return true;
    }
}
