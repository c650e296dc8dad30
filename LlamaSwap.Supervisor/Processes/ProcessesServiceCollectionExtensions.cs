using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlamaSwap.Supervisor.Processes;

internal static class ProcessesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IUpstreamProcessFactory"/>, <see cref="UpstreamOutput"/>,
    /// <see cref="LeftoverUpstreams"/> and <see cref="UpstreamProcessOptions"/> (run directory from <c>LLAMASWAP_RUN_DIR</c>).
    /// </summary>
    public static IServiceCollection AddUpstreamProcesses(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<UpstreamProcessOptions>().Configure(options =>
        {
            var runDirectory = configuration[WiringEnvironment.RunDirectoryKey];
            if (!string.IsNullOrWhiteSpace(runDirectory))
            {
                options.RunDirectory = runDirectory;
            }
        });
        services.TryAddSingleton<UpstreamOutput>();
        services.TryAddSingleton<UpstreamProcessFactory>();
        services.TryAddSingleton<IUpstreamProcessFactory>(sp => sp.GetRequiredService<UpstreamProcessFactory>());
        services.TryAddSingleton<LeftoverUpstreams>();
        return services;
    }
}
