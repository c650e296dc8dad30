using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy.Hardening;

internal static class ClientConnectionLimitsExtensions
{
    /// <summary>
    /// Connection admission (<see cref="AuthProxyLimits.MaxConcurrentConnections"/>,
    /// <see cref="AuthProxyLimits.MaxPendingConnectionsPerClient"/>, <see cref="AuthProxyLimits.MaxConnectionsPerClient"/>):
    /// a connection middleware on every endpoint and, ahead of the whole request pipeline,
    /// <see cref="FirstRequestMiddleware"/>.
    /// </summary>
    public static IServiceCollection AddClientConnectionLimits(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClientConnectionLimiter>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, ClientConnectionLimitsSetup>();
        services.AddSingleton<IStartupFilter, FirstRequestStartupFilter>();
        return services;
    }

    private sealed class ClientConnectionLimitsSetup(ClientConnectionLimiter limiter, IOptions<AuthProxyLimits> limits, TimeProvider time)
        : IConfigureOptions<KestrelServerOptions>
    {
        // Endpoint defaults reach the --urls / ASPNETCORE_URLS endpoints too. Kestrel keeps one such
        // callback: nothing else in the auth proxy may set it.
        public void Configure(KestrelServerOptions kestrel) => kestrel.ConfigureEndpointDefaults(
            listen => listen.Use(next => new ClientConnectionMiddleware(next, limiter, limits, time).OnConnectionAsync));
    }

    private sealed class FirstRequestStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<FirstRequestMiddleware>();
            next(app);
        };
    }
}
