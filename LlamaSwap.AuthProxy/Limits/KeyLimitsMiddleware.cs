using System.Globalization;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Http;

namespace LlamaSwap.AuthProxy.Limits;

/// <summary>
/// Enforces the authenticated key's <c>requestsPerMinute</c>, <c>tokensPerMinute</c> and
/// <c>maxConcurrent</c> (after the key check): over a limit the request gets a 429 with
/// <c>Retry-After</c>. A request without a key (auth off, public route) or with a key without limits
/// passes without any counting. A concurrency slot is held until the response is fully sent.
/// </summary>
internal sealed partial class KeyLimitsMiddleware(RequestDelegate next, KeyLimiter limiter, ILogger<KeyLimitsMiddleware> logger)
{
    /// <summary>The error code of every limit refusal (OpenAI's code for 429s).</summary>
    public const string RateLimitCode = "rate_limit_exceeded";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<AuthenticatedKey>()?.Key is not { } key || !KeyLimitRules.HasLimits(key))
        {
            await next(context);
            return;
        }

        var decision = await limiter.TryAcquireAsync(key);
        if (!decision.Allowed)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
            Log.Refused(logger, key.Name, decision.Refusal, seconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await AnthropicErrorResponses.WriteForRouteAsync(context, StatusCodes.Status429TooManyRequests, Message(key, decision.Refusal), RateLimitCode);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (decision.Lease is { } lease)
            {
                await limiter.ReleaseAsync(lease);
            }
        }
    }

    private static string Message(ApiKeyConfig key, LimitRefusal refusal) => refusal switch
    {
        LimitRefusal.RequestsPerMinute => $"rate limit exceeded: key '{key.Name}' is limited to {key.RequestsPerMinute} requests per minute",
        LimitRefusal.TokensPerMinute => $"rate limit exceeded: key '{key.Name}' is limited to {key.TokensPerMinute} tokens per minute",
        _ => $"rate limit exceeded: key '{key.Name}' is limited to {key.MaxConcurrent} concurrent requests",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Key {Key} refused by its {Limit} limit; retry after {Seconds} s")]
        public static partial void Refused(ILogger logger, string key, LimitRefusal limit, int seconds);
    }
}
