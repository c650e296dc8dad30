using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlamaSwap.AuthProxy.Limits;

internal static class KeyLimitsExtensions
{
    /// <summary>The limiter: Redis-backed when <c>ConnectionStrings:redis</c> is set, else per process.</summary>
    public static IServiceCollection AddKeyLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddRedisConnector(configuration);
        services.AddSingleton(sp => new KeyLimiter(
            sp.GetService<RedisConnector>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<KeyLimiter>>()));
        return services;
    }

    /// <summary>After the key and scope checks (the key check also sets the key-name header for the gateway).</summary>
    public static IApplicationBuilder UseKeyLimits(this IApplicationBuilder app)
        => app.UseMiddleware<KeyLimitsMiddleware>();
}
