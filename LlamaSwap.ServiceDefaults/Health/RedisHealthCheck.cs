using LlamaSwap.Core.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlamaSwap.ServiceDefaults.Health;

/// <summary>
/// Pings Redis through the process's one <see cref="RedisConnector"/>. Without Redis configured the
/// service runs on in-process state: that is healthy, and the description says Redis does not apply.
/// </summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Resolved per check: services register the connector after the defaults, and only when configured.
        if (services.GetService<RedisConnector>() is not { } redis)
        {
            return HealthCheckResult.Healthy("not configured: in-process state");
        }

        if (redis.TryGetDatabase() is not { } database)
        {
            return HealthCheckResult.Unhealthy(redis.Connecting ? "connecting" : "not connected");
        }

        try
        {
            var latency = await database.PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // No exception attached: the auth proxy serves /ready publicly and messages can carry addresses.
            return HealthCheckResult.Unhealthy($"ping failed ({ex.GetType().Name})");
        }
    }
}
