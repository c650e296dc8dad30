using LlamaSwap.Core.Configuration.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Core.Configuration.Reload;

public static class ConfigReloaderServiceCollectionExtensions
{
    /// <summary>Reloads the config on SIGHUP (and on change with <c>LLAMASWAP_WATCH_CONFIG=1</c>), reporting as <paramref name="role"/> says.</summary>
    public static IServiceCollection AddConfigReloader(this IServiceCollection services, ConfigDiagnosticsRole role)
        => services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ConfigReloader>(sp, role));
}
