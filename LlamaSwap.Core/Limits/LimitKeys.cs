using System.Globalization;

namespace LlamaSwap.Core.Limits;

/// <summary>
/// The Redis key layout of per-key limits, shared by the auth proxy (which checks them) and the
/// gateway (which adds the tokens each response used). Windows are fixed UTC minutes numbered
/// from the Unix epoch; the key name sits in a hash tag (<c>{name}</c>) so one key's counters share
/// a cluster slot and one Lua script may touch them all.
/// </summary>
public static class LimitKeys
{
    /// <summary>How long a minute's counters outlive their minute (clock skew between services, late tokens).</summary>
    public static readonly TimeSpan WindowTtl = TimeSpan.FromSeconds(120);

    /// <summary>The fixed one-minute window <paramref name="now"/> falls in.</summary>
    public static long Minute(DateTimeOffset now) => now.ToUnixTimeSeconds() / 60;

    /// <summary>When the window of <paramref name="now"/> ends and a refused key may try again.</summary>
    public static DateTimeOffset WindowEnd(DateTimeOffset now) => DateTimeOffset.FromUnixTimeSeconds((Minute(now) + 1) * 60);

    /// <summary>String counter: requests admitted for the key in the minute.</summary>
    public static string Requests(string keyName, long minute) => $"llamaswap:limits:{{{keyName}}}:rpm:{minute.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>String counter: input + output tokens recorded for the key in the minute.</summary>
    public static string Tokens(string keyName, long minute) => $"llamaswap:limits:{{{keyName}}}:tpm:{minute.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Sorted set of the key's requests in flight: member = lease id, score = lease expiry (Unix ms).</summary>
    public static string Concurrent(string keyName) => $"llamaswap:limits:{{{keyName}}}:concurrent";
}
