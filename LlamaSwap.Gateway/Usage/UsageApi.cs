using System.Globalization;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Http;
using LlamaSwap.Core.Redis;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Api;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Usage;

/// <summary><c>GET /api/usage[?day=yyyy-MM-dd][&amp;key=name]</c>: per-key, per-model usage of one UTC day (default today).</summary>
internal static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Usage, async (HttpRequest request, UsageLedger ledger, TimeProvider time) =>
        {
            var dayText = request.Query["day"].ToString();
            string day;
            if (dayText.Length == 0)
            {
                day = UsageFields.Day(time.GetUtcNow());
            }
            else if (DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                day = parsed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            else
            {
                return ErrorResponses.Result(StatusCodes.Status400BadRequest, "invalid day: must be yyyy-mm-dd");
            }

            var key = request.Query["key"].ToString();
            return Results.Json(await ledger.ReadAsync(day, key.Length > 0 ? key : null), GatewayJson.Options);
        });
        return endpoints;
    }

    /// <summary>The ledger (Redis when <c>ConnectionStrings:redis</c> is set), its metrics and its activity listener.</summary>
    public static IServiceCollection AddKeyUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRedisConnector(configuration);
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton(sp => new UsageLedger(
            sp.GetService<RedisConnector>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<UsageLedger>>()));
        services.AddHostedService(sp => sp.GetRequiredService<UsageLedger>());
        services.AddSingleton<IActivityListener, UsageActivityListener>();
        return services;
    }
}
