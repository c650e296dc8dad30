using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Gateway.Metrics.Performance.Gpu;
using LlamaSwap.Gateway.Metrics.Performance.Hardware;
using LlamaSwap.ServiceDefaults.Telemetry;

namespace LlamaSwap.Gateway.Metrics;

internal static class GatewayMetricsExtensions
{
    /// <summary>Model-request metrics, the models-loaded and in-flight gauges, and the system metrics, scraped at <c>/metrics</c>.</summary>
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddPrometheusScraping();
        services.AddSingleton<LoadedModelsTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<LoadedModelsTracker>());
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<IActivityListener, MetricsActivityListener>();
        services.AddSingleton<PerformanceHistory>();
        services.AddSingleton<HardwareState>();
        services.AddSingleton(sp => new GpuSampler(
            sp.GetRequiredService<IConfiguration>().GetSection(PerformanceOptions.SectionName).Get<PerformanceOptions>() ?? new PerformanceOptions(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GpuSampler>>()));
        services.AddSingleton(sp => new SystemStatsSampler(
            sp.GetRequiredService<ConfigHolder>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SystemStatsSampler>>(),
            history: sp.GetRequiredService<PerformanceHistory>(), gpus: sp.GetRequiredService<GpuSampler>(), hardware: sp.GetRequiredService<HardwareState>()));
        services.AddHostedService(sp => sp.GetRequiredService<SystemStatsSampler>());
        services.AddSingleton<SystemMetrics>();
        services.AddSingleton<GpuMetrics>();

        // The instruments exist from start-up, so the first scrape already lists the gauges.
        services.AddHostedService<MetricsActivator>();
        return services;
    }

    private sealed class MetricsActivator(GatewayMetrics gateway, SystemMetrics system, GpuMetrics gpus) : IHostedService
    {
        public GatewayMetrics Gateway { get; } = gateway;

        public SystemMetrics System { get; } = system;

        public GpuMetrics Gpus { get; } = gpus;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
