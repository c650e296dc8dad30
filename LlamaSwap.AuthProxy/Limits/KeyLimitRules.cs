using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Limits;

namespace LlamaSwap.AuthProxy.Limits;

/// <summary>The parts of the limit rules both stores share.</summary>
internal static class KeyLimitRules
{
    /// <summary>
    /// How long a concurrency slot counts without being given back: the safety net that frees the
    /// slots of a proxy that crashed mid-request. A request streaming longer than this stops counting.
    /// </summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromMinutes(10);

    /// <summary>No limit at all: such a key costs the request path nothing.</summary>
    public static bool HasLimits(ApiKeyConfig key) => key.RequestsPerMinute is not null || key.TokensPerMinute is not null || key.MaxConcurrent is not null;

    /// <summary>A concurrency refusal has no window to wait for: clients retry after a second.</summary>
    public static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    public static TimeSpan UntilWindowEnd(DateTimeOffset now) => LimitKeys.WindowEnd(now) - now;
}
