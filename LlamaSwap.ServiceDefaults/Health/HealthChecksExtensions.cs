using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlamaSwap.ServiceDefaults.Health;

/// <summary>Readiness checks: what a service needs to serve, reported at <c>GET /ready</c>.</summary>
public static class HealthChecksExtensions
{
    /// <summary>Tag of the checks <c>/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    internal static IHealthChecksBuilder AddDefaultHealthChecks(this IServiceCollection services)
        => services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);

    /// <summary>
    /// Readiness also asks the next service on the request path (<paramref name="name"/>) for its
    /// <c>/health</c>; <paramref name="baseUrl"/> resolves its validated address when the check first runs.
    /// </summary>
    public static IServiceCollection AddNextHopHealthCheck(this IServiceCollection services, string name, Func<IServiceProvider, Uri> baseUrl)
    {
        services.AddSingleton(sp => new NextHopHealthCheck(new Uri(baseUrl(sp), "/health")));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name, sp => sp.GetRequiredService<NextHopHealthCheck>(), failureStatus: HealthStatus.Unhealthy, tags: [ReadyTag]));
        return services;
    }
}
