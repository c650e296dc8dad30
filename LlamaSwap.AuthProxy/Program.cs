using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;
using LlamaSwap.AuthProxy.Forwarding;
using LlamaSwap.AuthProxy.Hardening;
using LlamaSwap.AuthProxy.Hosting;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.AuthProxy.Limits;
using LlamaSwap.AuthProxy.Scopes;
using LlamaSwap.ServiceDefaults;
using LlamaSwap.ServiceDefaults.Health;
using LlamaSwap.ServiceDefaults.Hosting;
using LlamaSwap.ServiceDefaults.Transport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LlamaSwap.AuthProxy;

internal static class Program
{
    private const string DefaultUrl = "http://0.0.0.0:3000";

    public static int Main(string[] args)
    {
        InlineIoExtensions.EnableInlineSocketCompletions();

        // A config with errors is listed here, once, before anything is built (ApiKeyLoader reads it again for the keys).
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        if (ConfigLocation.From(configuration) is { } location && StartupConfig.Load(location, ConfigDiagnosticsRole.Quiet, Console.Error) is null)
        {
            return StartupConfig.RefusedExitCode;
        }

        if (HostOptionsExtensions.BuildValidated(() => BuildApp(args)) is not { } app)
        {
            return 1;
        }

        try
        {
            // Load the keys now: a broken config must stop the proxy before it listens.
            if (app.Services.GetRequiredService<KeyClaimIssuer>().Problem(app.Services.GetRequiredService<ApiKeySet>()) is { } problem)
            {
                app.Logger.LogCritical("Cannot start: {Error}", problem);
                return 1;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Text.Json.JsonException)
        {
            app.Logger.LogCritical("Cannot start: {Error}", ex.Message);
            return 1;
        }

        app.Run();
        return 0;
    }

    /// <summary>
    /// Builds the proxy. Tests host it in-process with <c>--urls http://127.0.0.1:0</c>,
    /// <c>--services:gateway:http:0=...</c> and an <see cref="ApiKeySet"/> registered in
    /// <paramref name="configureTestServices"/>.
    /// </summary>
    internal static WebApplication BuildApp(string[] args, Action<IServiceCollection>? configureTestServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.UseDefaultUrlUnlessConfigured(DefaultUrl);

        // Bodies are streamed, never held; the limits bound what one client can make the proxy hold.
        var services = builder.Services;
        services.AddHostOptions<AuthProxyHostOptions, AuthProxyHostOptionsValidator>(builder.Configuration);
        services.AddHostOptions<AuthProxyLimits, AuthProxyLimitsValidator>(builder.Configuration.GetSection(AuthProxyLimits.SectionName));
        services.AddNextHopHealthCheck("gateway", sp => new Uri(sp.GetRequiredService<IOptions<AuthProxyHostOptions>>().Value.GatewayBaseUrl));
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
        services.AddClientConnectionLimits();
        services.AddHttpForwarder();
        services.AddSingleton(sp => ApiKeyLoader.Load(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyLoader))));
        services.AddSingleton(sp => new ApiKeyHolder(sp.GetRequiredService<ApiKeySet>()));
        services.AddSingleton<IConfigReloadTarget, ApiKeyReloadTarget>();
        services.AddSingleton(TimeProvider.System);
        services.AddConfigReloader(ConfigDiagnosticsRole.Quiet);
        services.AddSingleton<GatewayForwarder>();
        services.AddSingleton<KeyClaimIssuer>();
        services.AddKeyLimits(builder.Configuration);
        configureTestServices?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<RequestHygieneMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<ScopeMiddleware>();

        // Limits after the scope check: a request refused for its scope or model counts against nothing.
        app.UseKeyLimits();
        app.MapDefaultEndpoints();
        app.Map("/{**path}", (RequestDelegate)(context => context.RequestServices.GetRequiredService<GatewayForwarder>().ForwardAsync(context)));
        return app;
    }
}
