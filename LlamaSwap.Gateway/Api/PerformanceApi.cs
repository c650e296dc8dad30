using System.Globalization;
using LlamaSwap.Core.Http;
using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Metrics.Performance;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Api;

/// <summary>
/// <c>GET /api/performance[?after=RFC3339]</c>: the last hour of system and GPU samples, oldest first
/// (reference 2.3). Reads the sampler's buffer only; 503 <c>{"enabled":false}</c> with <c>performance.disabled</c>.
/// </summary>
internal static class PerformanceApi
{
    private static readonly string[] Rfc3339 = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static IEndpointRouteBuilder MapPerformanceApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Performance, IResult (HttpRequest request, ConfigHolder config, PerformanceHistory history) =>
        {
            if (config.Current.Observability.PerformanceDisabled)
            {
                return Results.Json(new { enabled = false }, GatewayJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            DateTimeOffset? after = null;
            if (request.Query.TryGetValue("after", out var raw) && !string.IsNullOrEmpty(raw))
            {
                if (!TryParseRfc3339(raw.ToString(), out var parsed))
                {
                    return ErrorResponses.Result(StatusCodes.Status400BadRequest, "invalid 'after' timestamp, expected RFC3339 (e.g. 2026-01-02T15:04:05Z)");
                }

                after = parsed;
            }

            var (system, gpus) = history.Read(after);
            return Results.Json(new PerformanceResponse(true, system, gpus), GatewayJson.Options);
        });
        return endpoints;
    }

    /// <summary>
    /// RFC 3339 as Go's <c>time.RFC3339</c> reads it: a date, a time, optional fractional seconds and a
    /// zone (<c>Z</c> or <c>±hh:mm</c>). Go clients send nanoseconds; digits past the seventh are dropped.
    /// </summary>
    internal static bool TryParseRfc3339(string text, out DateTimeOffset value)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = text[..(dot + 8)] + text[end..];
            }
        }

        return DateTimeOffset.TryParseExact(text, Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private sealed record PerformanceResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("enabled")] bool Enabled,
        [property: System.Text.Json.Serialization.JsonPropertyName("sys_stats")] IReadOnlyList<SysStat> SysStats,
        [property: System.Text.Json.Serialization.JsonPropertyName("gpu_stats")] IReadOnlyList<GpuStat> GpuStats);
}
