using LlamaSwap.Core.Configuration.Reload;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Logs;

internal static class LogsServiceCollectionExtensions
{
    /// <summary>
    /// The gateway's logs: <see cref="LogHub"/>, the proxy log provider, the upstream feed, reload of
    /// the log settings and the <c>logToStdout</c> gate on the console. Call after AddServiceDefaults.
    /// </summary>
    public static WebApplicationBuilder AddGatewayLogs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var hub = new LogHub();
        services.AddSingleton(hub);
        services.AddSingleton<ILoggerProvider, ProxyLoggerProvider>();

        // The proxy log decides by logLevel itself, so our own Debug entries must reach it; other
        // categories keep the usual rules (the framework's chatty ones stay at Warning).
        builder.Logging.AddFilter<ProxyLoggerProvider>("LlamaSwap", LogLevel.Trace);

        var console = services.FirstOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        if (console is not null)
        {
            services.Remove(console);
            services.AddSingleton<ILoggerProvider>(sp => new StdoutGateLoggerProvider(
                new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>()), hub));
        }

        services.TryAddSingleton<UpstreamLogClient>();
        services.AddHostedService<UpstreamLogFeed>();
        services.AddSingleton<IConfigReloadTarget, LogsReloadTarget>();
        return builder;
    }
}
