using LlamaSwap.Core.Events;
using LlamaSwap.Core.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Core.State;

public static class StateStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelStateStore"/>: Redis when <c>ConnectionStrings:redis</c> is set,
    /// else an in-process store (single-process setups and unit tests).
    /// </summary>
    public static IServiceCollection AddModelStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.AddRedisConnector(configuration))
        {
            services.AddSingleton<IModelStateStore, InMemoryModelStateStore>();
        }
        else
        {
            services.AddSingleton<IModelStateStore>(sp => new RedisModelStateStore(
                sp.GetRequiredService<RedisConnector>(), sp.GetRequiredService<ILogger<RedisModelStateStore>>()));
        }

        return services;
    }

    /// <summary>Registers <see cref="IEventBus"/>: Redis pub/sub when <c>ConnectionStrings:redis</c> is set, else in-process.</summary>
    public static IServiceCollection AddEventBus(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.AddRedisConnector(configuration))
        {
            services.AddSingleton<IEventBus, InMemoryEventBus>();
        }
        else
        {
            services.AddSingleton<IEventBus>(sp => new RedisEventBus(
                sp.GetRequiredService<RedisConnector>(), sp.GetRequiredService<ILogger<RedisEventBus>>()));
        }

        return services;
    }
}
