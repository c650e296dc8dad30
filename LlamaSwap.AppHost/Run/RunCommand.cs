using Aspire.Hosting;
using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Output;
using LlamaSwap.AppHost.Dashboard;
using LlamaSwap.AppHost.Demo;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Model;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resilience;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// Runs the application locally under Aspire: DCP starts Redis and the services, the dashboard
/// shows them, <see cref="CrashRestarter"/> brings back a service that dies, and on the way out
/// whatever upstream a killed supervisor left behind is reaped.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(RunOptions options, BuildLayout layout)
    {
        var runDirectory = StaleRunSweeper.RunDirectoryOf(Environment.ProcessId);
        Directory.CreateDirectory(runDirectory);
        try
        {
            return await RunCoreAsync(options, layout, runDirectory);
        }
        finally
        {
            TryDelete(runDirectory);
        }
    }

    private static async Task<int> RunCoreAsync(RunOptions options, BuildLayout layout, string runDirectory)
    {
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
        };

        DashboardSettings.Apply(options.DashboardPort);
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [.. options.AspireArgs],
        });
        builder.Services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        builder.Services.AddLogging(logging => logging.AddFilter("Aspire.Hosting.Dashboard", LogLevel.Warning));
        builder.Services.AddLogging(logging => logging.AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));

        LlamaSwapModel.Add(builder, settings, layout.RepoRoot);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new BannerInfo(options.DashboardPort, settings, isDemo));
        builder.Services.AddHostedService<Banner>();
        builder.Services.AddSingleton<CrashRestarter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CrashRestarter>());
        builder.Services.AddHostedService<ReloadSignalForwarder>();
        builder.Services.AddHostedService<ResourceOutputForwarder>();
        builder.Services.AddHostedService<OrderlyShutdown>();

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LlamaSwap.AppHost");
        StaleRunSweeper.Sweep(logger);
        if (!await GarnetTool.EnsureRestoredAsync(settings, layout.RepoRoot, logger))
        {
            return ExitCodes.Failure;
        }

        await app.RunAsync();
        return app.Services.GetRequiredService<CrashRestarter>().FailedAtStart ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void TryDelete(string runDirectory)
    {
        try
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {runDirectory}: {ex.Message}");
        }
    }
}
