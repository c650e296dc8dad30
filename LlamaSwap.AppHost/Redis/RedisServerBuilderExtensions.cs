using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Publishing;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlamaSwap.AppHost.Redis;

internal static class RedisServerBuilderExtensions
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Adds Redis on 127.0.0.1:<paramref name="port"/> without persistence (it caches the state of
    /// processes that die with the AppHost), healthy once it answers a RESP <c>PING</c>: <c>WaitFor</c>
    /// on an executable alone waits only for the process to run, not to listen.
    /// </summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(
        this IDistributedApplicationBuilder builder, string name, int port, string repoRoot, string? path = null)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var redisServer = ExecutableLocator.FindOnPath("redis-server", path);
        var resource = redisServer is not null || builder.ExecutionContext.IsPublishMode
            ? new RedisServerResource(name, "redis-server", repoRoot)
            : new RedisServerResource(name, "dotnet", repoRoot);
        string[] args = resource.Command == "redis-server"
            ? ["--port", portText, "--bind", "127.0.0.1", .. Deployment.RedisArgs]
            : ["tool", "run", "garnet-server", "--port", portText, "--bind", "127.0.0.1", "--lua"];

        var healthCheck = $"{name}-ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await RespPing.TryPingAsync("127.0.0.1", port, PingTimeout, cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"no PING answer on 127.0.0.1:{portText}"));

        return builder.AddResource(resource)
            .WithArgs(args)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: RedisServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheck);
    }
}
