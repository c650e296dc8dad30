using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Configuration.Reporting;
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
using LlamaSwap.Gateway.Models.Detail;
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
        if (GatewayConfigLoader.LoadAtStartup(args) is not { } loaded)
        {
            return StartupConfig.RefusedExitCode;
        }

        if (ActivityStore.CheckAtStartup(loaded.Holder.Current) is { } storeProblem)
        {
            Console.Error.WriteLine($"gateway: {storeProblem}");
            return StartupConfig.RefusedExitCode;
        }

        if (HostOptionsExtensions.BuildValidated(() => BuildApp(args, services => services.AddSingleton(loaded.Holder))) is not { } app)
        {
            return 1;
        }

        GatewayConfigLoader.LogLoaded(app.Services.GetRequiredService<ILoggerFactory>(), loaded);

        app.Run();
        return 0;
    }

    /// <summary>
    /// Builds the gateway around the <see cref="ConfigHolder"/> that <paramref name="configureServices"/>
    /// registers (<c>Main</c>: the config it loaded; tests: their own). Tests host it in-process: pass
    /// <c>--urls http://127.0.0.1:0</c> and <c>--services:supervisor:http:0=...</c>.
    /// </summary>
    internal static WebApplication BuildApp(string[] args, Action<IServiceCollection> configureServices)
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
        services.AddSingleton<RemoteInflight>();
        services.AddSingleton<SharedInflightFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedInflightFeed>());
        services.AddActivityRecording(builder.Configuration);
        services.AddSingleton<ActiveProfile>();
        services.AddSingleton<SelectorRouter>();
        services.AddSingleton<VirtualModelResolver>();
        services.AddSingleton<UnknownModelMessages>();
        services.AddSingleton<IConfigReloadTarget, GatewayReloadTarget>();
        services.AddConfigReloader(ConfigDiagnosticsRole.Quiet);
        services.AddHostedService<SupervisorHeartbeat>();
        services.AddGatewayEvents();
        services.AddGatewayMetrics();
        services.AddModelHistory();
        services.AddKeyUsage(builder.Configuration);
        configureServices(services);

        var app = builder.Build();
        app.UseMiddleware<AccessLogMiddleware>();
        app.UseMiddleware<CorsPreflightMiddleware>();
        app.UseMiddleware<KeyClaimMiddleware>();
        app.UseMiddleware<ClientCredentialMiddleware>();
        app.MapDefaultEndpoints();
        app.MapRoute(GatewayRoutes.WakeOnLanHealth, () => Results.Text("OK"));
        app.MapPrometheusScrapingEndpoint(GatewayRoutes.Metrics.Pattern).WithMetadata(GatewayRoutes.Metrics);
        app.MapModelsApi();
        app.MapModelDetailApi();
        app.MapProfilesApi();
        app.MapLogsApi();
        app.MapModelPipelines();
        app.MapInflightApi();
        app.MapEventsApi();
        app.MapActivityApi();
        app.MapUsageApi();
        app.MapVersionApi();
        app.MapPerformanceApi();
        app.MapHardwareApi();
        app.MapUi();
        return app;
    }

    /// <summary>True when a config is registered: <see cref="BuildApp"/> cannot load one itself.</summary>
    internal static bool ValidateStartup(WebApplication app) => app.Services.GetService<ConfigHolder>() is not null;
}
