using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Dashboard;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Model;
using LlamaSwap.AppHost.Output;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resilience;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LlamaSwap.Core.Security;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// Runs the application locally under Aspire: DCP starts Redis and the services, the dashboard
/// shows them, <see cref="CrashRestarter"/> brings back a service that dies, and
/// <see cref="OrderlyShutdown"/> stops them in order and removes the run directory. Everything
/// happens inside the app's own lifetime, so Aspire.Hosting.Testing can run this AppHost too.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(RunOptions options, BuildLayout layout)
    {
        if (!ConfigPreflight.Accepts(options, Console.Error))
        {
            return ExitCodes.Failure;
        }

        var builder = Create(options, layout);
        await using var app = builder.Build();
        await app.RunAsync();
        return app.Services.GetRequiredService<CrashRestarter>().FailedAtStart ? ExitCodes.Failure : ExitCodes.Success;
    }

    public static IDistributedApplicationBuilder Create(RunOptions options, BuildLayout layout)
    {
        var runDirectory = StaleRunSweeper.RunDirectoryOf(Environment.ProcessId);
        Directory.CreateDirectory(runDirectory);

        // --config-dir alone is a real config: the services then get an empty LLAMASWAP_CONFIG.
        var isDemo = options.ConfigPath is null && options.ConfigDir is null;
        var settings = new StackSettings
        {
            ConfigPath = options.ConfigPath
                ?? (isDemo ? DemoConfig.Write(runDirectory, layout.ProjectDll(DemoConfig.UpstreamProjectDirectory)) : string.Empty),
            ConfigDir = options.ConfigDir,
            RunDirectory = runDirectory,
            SupervisorPort = options.SupervisorPort ?? Ports.FreeLoopbackPort(),
            GatewayPort = options.GatewayPort,
            ProxyPort = options.ProxyPort,
            RedisPort = Ports.FreeLoopbackPort(),
            ExternalRedis = options.RedisConnectionString
                ?? (Environment.GetEnvironmentVariable(WiringEnvironment.RedisConnection) is { Length: > 0 } fromEnvironment ? fromEnvironment : null),
            WatchConfig = options.WatchConfig,
            WorkDirectory = Environment.CurrentDirectory,
            DashboardTelemetryIntervals = options.Dashboard,
            ExportTelemetry = options.Dashboard,

            // Per run: the auth proxy signs which key a request used, the gateway verifies it.
            InternalSecret = Environment.GetEnvironmentVariable(KeyClaimSigner.SecretSetting) is { Length: > 0 } given ? given : KeyClaimSigner.NewSecret(),
        };

        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [.. options.AspireArgs],
            AllowUnsecuredTransport = true,
            DisableDashboard = !options.Dashboard,
        });
        DashboardSettings.Apply(builder.Configuration, options.DashboardPort);
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dashboard", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));

        LlamaSwapModel.Add(builder, settings, layout.RepoRoot);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new BannerInfo(options.Dashboard ? options.DashboardPort : null, settings, isDemo));
        builder.Services.AddHostedService<Banner>();
        builder.Services.AddSingleton<CrashRestarter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CrashRestarter>());
        builder.Services.AddHostedService<ReloadSignalForwarder>();
        builder.Services.AddHostedService<ResourceOutputForwarder>();
        builder.Services.AddHostedService<OrderlyShutdown>();

        // Before DCP starts anything: what an AppHost killed outright left behind goes, and the
        // fallback Redis is restored (a restore inside the resource would count against its start).
        builder.Eventing.Subscribe<BeforeStartEvent>(async (startEvent, cancellationToken) =>
        {
            var logger = startEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LlamaSwap.AppHost");
            StaleRunSweeper.Sweep(logger);
            if (!await GarnetTool.EnsureRestoredAsync(settings, layout.RepoRoot, logger))
            {
                throw new InvalidOperationException("no Redis: redis-server is not on PATH and the garnet-server tool could not be restored");
            }
        });
        return builder;
    }
}
