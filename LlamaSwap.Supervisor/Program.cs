using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.State;
using LlamaSwap.ServiceDefaults;
using LlamaSwap.ServiceDefaults.Hosting;
using LlamaSwap.ServiceDefaults.Transport;
using LlamaSwap.Supervisor.Api;
using LlamaSwap.Supervisor.Hosting;
using LlamaSwap.Supervisor.Logs;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Supervisor.Scheduling;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Supervisor;

internal static class Program
{
    public static int Main(string[] args)
    {
        InlineIoExtensions.EnableInlineSocketCompletions();
        var builder = WebApplication.CreateBuilder(args);
        var location = ConfigLocation.From(builder.Configuration);
        if (location is null)
        {
            Console.Error.WriteLine(
                $"supervisor: no config: set {WiringEnvironment.ConfigPath} to a llama-swap YAML file and/or {WiringEnvironment.ConfigDir} to a directory of them");
            return StartupConfig.RefusedExitCode;
        }

        // The supervisor is the config's reporter: every warning and error is listed here, once.
        if (StartupConfig.Load(location, ConfigDiagnosticsRole.Reporter, Console.Error) is not { } config)
        {
            return StartupConfig.RefusedExitCode;
        }

        if (HostOptionsExtensions.BuildValidated(() => Build(builder, config)) is not { } app)
        {
            return 1;
        }

        app.Run();
        return 0;
    }

    /// <summary>Composes the supervisor; tests call it with their own builder and config.</summary>
    internal static WebApplication Build(WebApplicationBuilder builder, LlamaSwapConfig config)
    {
        // Internal API: loopback only unless told otherwise.
        builder.UseDefaultUrlUnlessConfigured("http://127.0.0.1:8090");

        builder.AddServiceDefaults();
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHostOptions<SupervisorHostOptions, SupervisorHostOptionsValidator>(builder.Configuration);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddModelStateStore(builder.Configuration);
        builder.Services.AddEventBus(builder.Configuration);
        builder.Services.AddUpstreamProcesses(builder.Configuration);
        builder.Services.AddUpstreamLogPublishing();
        builder.Services.AddSingleton<StatePublisher>();
        builder.Services.AddSingleton(sp => new ModelScheduler(
            sp.GetRequiredService<LlamaSwapConfig>(),
            sp.GetRequiredService<IUpstreamProcessFactory>(),
            sp.GetRequiredService<StatePublisher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModelScheduler>>(),
            sp.GetRequiredService<IOptions<SupervisorHostOptions>>().Value.GatewayTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
        builder.Services.AddHostedService<SchedulerHostedService>();
        builder.Services.AddSingleton<IConfigReloadTarget, SchedulerReloadTarget>();
        builder.Services.AddConfigReloader(ConfigDiagnosticsRole.Reporter);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSupervisorApi();
        return app;
    }
}
