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

    public static async Task<int> Main(string[] args)
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

        // Disposing also flushes the console logger, so a start-up error is not lost at exit.
        await using (app)
        {
            if (StartUpProblem(app) is { } problem)
            {
                app.Logger.LogCritical("Cannot start: {Error}", problem);
                return 1;
            }

            try
            {
                await app.StartAsync();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                // Kestrel's bind errors (an address in use or not on this machine, https without a
                // certificate): one line that says why, not a stack trace.
                app.Logger.LogCritical("Cannot start: {Error}", ex.Message);
                return 1;
            }

            await app.WaitForShutdownAsync();
            return 0;
        }
    }

    /// <summary>Loads the keys now: a broken config or keys file must stop the proxy before it listens.</summary>
    private static string? StartUpProblem(WebApplication app)
    {
        try
        {
            return app.Services.GetRequiredService<KeyClaimIssuer>().Problem(app.Services.GetRequiredService<ApiKeySet>());
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Text.Json.JsonException)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Builds the proxy. It listens where <c>ASPNETCORE_URLS</c> (or <c>--urls</c>) says, by default on
    /// every interface's port 3000; an <c>https://</c> URL is served with Kestrel's default certificate,
    /// <c>Kestrel:Certificates:Default:Path</c> and <c>KeyPath</c> (PEM), which Kestrel reads itself and
    /// <see cref="TlsCertificateOptionsValidator"/> checks first. Tests host it in-process with <c>--urls http://127.0.0.1:0</c>,
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
        services.AddHostOptions<TlsCertificateOptions, TlsCertificateOptionsValidator>(builder.Configuration.GetSection(TlsCertificateOptions.SectionName));
        services.AddNextHopHealthCheck("gateway", sp => new Uri(sp.GetRequiredService<IOptions<AuthProxyHostOptions>>().Value.GatewayBaseUrl));
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
        services.AddClientConnectionLimits();
        services.AddHttpForwarder();
        services.AddSingleton(sp => ApiKeyLoader.Load(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyLoader))));
        services.AddSingleton(sp => new ApiKeyHolder(sp.GetRequiredService<ApiKeySet>()));
        services.AddSingleton<IConfigReloadTarget, ApiKeyReloadTarget>();
        services.AddSingleton<OpenPortWarning>();
        services.AddSingleton(TimeProvider.System);
        services.AddConfigReloader(ConfigDiagnosticsRole.Quiet);
        services.AddSingleton<GatewayForwarder>();
        services.AddSingleton<KeyClaimIssuer>();
        services.AddKeyLimits(builder.Configuration);
        configureTestServices?.Invoke(services);

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<OpenPortWarning>()
            .WarnIfOpen(app.Services.GetRequiredService<ApiKeyHolder>().Current));
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
