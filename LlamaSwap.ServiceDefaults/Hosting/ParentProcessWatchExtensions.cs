using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.ServiceDefaults.Hosting;

internal static class ParentProcessWatchExtensions
{
    public static void AddParentProcessWatchWhenAsked(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration[ParentProcessWatch.Switch] != "1")
        {
            return;
        }

        // Only for this process: the upstreams the supervisor starts must not inherit the switch.
        Environment.SetEnvironmentVariable(ParentProcessWatch.Switch, null);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ParentProcessWatch>();
    }
}
