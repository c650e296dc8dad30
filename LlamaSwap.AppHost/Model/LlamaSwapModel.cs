using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Security;

namespace LlamaSwap.AppHost.Model;

/// <summary>
/// The one place that says what exists and who talks to whom: Redis, then the supervisor, the
/// gateway and the auth proxy, each waiting for the one behind it to be healthy. Run and publish
/// both describe the application through this; only paths and addresses differ by mode.
/// </summary>
internal static class LlamaSwapModel
{
    /// <param name="path">PATH to find redis-server on; null = the process's.</param>
    public static void Add(IDistributedApplicationBuilder builder, StackSettings settings, string repoRoot, string? path = null)
    {
        IResourceBuilder<IResourceWithConnectionString> redis = settings.ExternalRedis is { } external
            ? builder.AddConnectionString(ResourceNames.Redis, ReferenceExpression.Create($"{external}"))
            : builder.AddRedisServer(ResourceNames.Redis, settings.RedisPort, repoRoot, path);

        var supervisor = builder.AddProject<Projects.LlamaSwap_Supervisor>(ResourceNames.Supervisor, launchProfileName: null)
            .WithServiceEndpoint(settings.SupervisorPort, external: false)
            .WithStackEnvironment(settings)
            .WithReference(redis)
            .WaitFor(redis)
            .WithEnvironment(WiringEnvironment.RunDirectory, settings.RunDirectory);

        var gateway = builder.AddProject<Projects.LlamaSwap_Gateway>(ResourceNames.Gateway, launchProfileName: null)
            .WithServiceEndpoint(settings.GatewayPort, external: false)
            .WithStackEnvironment(settings)
            .WithReference(redis)
            .WithReference(supervisor)
            .WithInternalSecret(settings)
            .WaitFor(supervisor);

        builder.AddProject<Projects.LlamaSwap_AuthProxy>(ResourceNames.AuthProxy, launchProfileName: null)
            .WithServiceEndpoint(settings.ProxyPort, external: true)
            .WithStackEnvironment(settings)
            .WithReference(redis)
            .WithReference(gateway)
            .WithInternalSecret(settings)
            .WaitFor(gateway);
    }

    /// <summary>
    /// One HTTP endpoint on a fixed port, not behind DCP's proxy (an extra hop on every request):
    /// loopback for the internal services, every interface for the public front door. Published,
    /// the same holds: compose runs the services with host networking, as model servers usually are.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithServiceEndpoint(this IResourceBuilder<ProjectResource> project, int port, bool external)
    {
        project
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithEndpoint("http", endpoint => endpoint.TargetHost = external ? "0.0.0.0" : "127.0.0.1")
            .WithHttpHealthCheck("/health");
        return external ? project.WithExternalHttpEndpoints() : project;
    }

    /// <summary>The secret the auth proxy signs key claims with and the gateway verifies them by (docs/design.md).</summary>
    private static IResourceBuilder<ProjectResource> WithInternalSecret(this IResourceBuilder<ProjectResource> project, StackSettings settings)
        => settings.InternalSecret is { } secret ? project.WithEnvironment(KeyClaimSigner.SecretSetting, secret) : project;

    private static IResourceBuilder<ProjectResource> WithStackEnvironment(this IResourceBuilder<ProjectResource> project, StackSettings settings)
    {
        project.WithEnvironment(WiringEnvironment.ConfigPath, settings.ConfigPath);
        if (settings.ConfigDir is { } configDir)
        {
            project.WithEnvironment(WiringEnvironment.ConfigDir, configDir);
        }

        if (settings.WatchConfig)
        {
            project.WithEnvironment(ConfigReloader.WatchSwitch, "1");
        }

        if (settings.WorkDirectory is { } workDirectory)
        {
            project.WithEnvironment(WiringEnvironment.WorkDirectory, workDirectory);
        }

        if (!settings.ExportTelemetry)
        {
            // Registered after Aspire's own OTLP callback (added with the project), so it runs after it.
            project.WithEnvironment(context =>
            {
                foreach (var name in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
                {
                    context.EnvironmentVariables.Remove(name);
                }
            });
        }

        if (settings.DashboardTelemetryIntervals)
        {
            // The dashboard is for watching a request as it happens: spans within a second, metrics
            // every 5 s (the SDK defaults are 5 s and 60 s).
            project.WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "1000");
            project.WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "5000");
        }

        return project;
    }
}
