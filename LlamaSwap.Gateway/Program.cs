using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.State;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Api;
using LlamaSwap.Gateway.ClientAuth;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Events;
using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Gateway.Hosting;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Keys;
using LlamaSwap.Gateway.Logs;
using LlamaSwap.Gateway.Metrics;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Gateway.Peers;
using LlamaSwap.Gateway.Pipeline;
using LlamaSwap.Gateway.Pipeline.Stages;
using LlamaSwap.Gateway.Profiles;
using LlamaSwap.Gateway.Routing;
using LlamaSwap.Gateway.Selectors;
using LlamaSwap.Gateway.Supervision;
using LlamaSwap.Gateway.Ui;
using LlamaSwap.Gateway.Usage;
using LlamaSwap.ServiceDefaults;
using LlamaSwap.ServiceDefaults.Health;
using LlamaSwap.ServiceDefaults.Hosting;
using LlamaSwap.ServiceDefaults.Transport;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway;

internal static class Program
{
    private const string DefaultUrl = "http://127.0.0.1:8080";

    public static int Main(string[] args)
    {
        InlineIoExtensions.EnableInlineSocketCompletions();
        if (HostOptionsExtensions.BuildValidated(() => BuildApp(args)) is not { } app)
        {
            return 1;
        }

        if (!ValidateStartup(app))
        {
            // Disposing flushes the console logger's queue: without it the errors above can be lost
            // when the process exits at once.
            ((IDisposable)app).Dispose();
            return 1;
        }

        app.Run();
        return 0;
    }

    /// <summary>
    /// Builds the gateway. Tests host it in-process: pass <c>--urls http://127.0.0.1:0</c> and
    /// <c>--services:supervisor:http:0=...</c>, and register a <see cref="ConfigHolder"/> in
    /// <paramref name="configureTestServices"/> (it replaces loading <c>LLAMASWAP_CONFIG</c>).
    /// </summary>
    internal static WebApplication BuildApp(string[] args, Action<IServiceCollection>? configureTestServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.UseDefaultUrlUnlessConfigured(DefaultUrl);
        builder.AddGatewayLogs();

        // The body limit is enforced where the body is buffered; /upstream bodies are streamed and unlimited.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        var services = builder.Services;
        services.AddHostOptions<GatewayHostOptions, GatewayHostOptionsValidator>(builder.Configuration);
        services.AddHostOptions<GatewayOptions, GatewayOptionsValidator>(builder.Configuration.GetSection(GatewayOptions.SectionName));
        services.AddNextHopHealthCheck("supervisor", sp => sp.GetRequiredService<IOptions<GatewayHostOptions>>().Value.SupervisorUri);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => GatewayConfigLoader.Load(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayConfigLoader))));
        services.AddSingleton(sp => new SupervisorClient(
            sp.GetRequiredService<IOptions<GatewayHostOptions>>().Value.SupervisorUri,
            sp.GetRequiredService<ILogger<SupervisorClient>>(),
            TimeSpan.FromSeconds(Math.Max(0, sp.GetRequiredService<IOptions<GatewayOptions>>().Value.SupervisorWaitSeconds))));
        services.AddModelStateStore(builder.Configuration);
        services.AddEventBus(builder.Configuration);
        services.AddHttpForwarder();
        services.AddSingleton<UpstreamInvoker>();
        services.AddSingleton<ModelForwarder>();
        services.AddSingleton<PeerForwarder>();
        services.AddSingleton<PeerHops>();
        services.AddSingleton<LeaseAcquirer>();
        services.AddSingleton<ForwardStage>();
        services.AddSingleton<KeyClaimVerifier>();
        services.AddSingleton<ModelStateReader>();
        services.AddSingleton<InflightRequests>();
        services.AddActivityRecording(builder.Configuration);
        services.AddSingleton<ActiveProfile>();
        services.AddSingleton<SelectorRouter>();
        services.AddSingleton<VirtualModelResolver>();
        services.AddSingleton<UnknownModelMessages>();
        services.AddSingleton<IConfigReloadTarget, GatewayReloadTarget>();
        services.AddHostedService<ConfigReloader>();
        services.AddHostedService<SupervisorHeartbeat>();
        services.AddGatewayEvents();
        services.AddGatewayMetrics();
        services.AddKeyUsage(builder.Configuration);
        configureTestServices?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<CorsPreflightMiddleware>();
        app.UseMiddleware<KeyClaimMiddleware>();
        app.UseMiddleware<ClientCredentialMiddleware>();
        app.MapDefaultEndpoints();
        app.MapRoute(GatewayRoutes.WakeOnLanHealth, () => Results.Text("OK"));
        app.MapPrometheusScrapingEndpoint(GatewayRoutes.Metrics.Pattern).WithMetadata(GatewayRoutes.Metrics);
        app.MapModelsApi();
        app.MapProfilesApi();
        app.MapLogsApi();
        app.MapModelPipelines();
        app.MapInflightApi();
        app.MapEventsApi();
        app.MapActivityApi();
        app.MapUsageApi();
        app.MapVersionApi();
        app.MapUi();
        return app;
    }

    /// <summary>Loads the llama-swap config now, so a bad config fails before listening, listing every problem.</summary>
    internal static bool ValidateStartup(WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<ConfigHolder>();
            return true;
        }
        catch (ConfigStartupException ex)
        {
            foreach (var error in ex.Errors)
            {
                app.Logger.LogCritical("Cannot start: {Error}", error);
            }

            return false;
        }
    }
}
