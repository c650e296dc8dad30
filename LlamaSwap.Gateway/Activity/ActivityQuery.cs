using System.Globalization;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// <c>GET /api/metrics/activity</c> parameters (reference 2.4.2): <c>model</c> (repeatable),
/// <c>start</c>/<c>end</c> (RFC 3339), <c>min_id</c>/<c>max_id</c>, <c>limit</c> 1..999 (25),
/// <c>page</c> from 1, <c>sort</c> and <c>order</c>.
/// </summary>
internal sealed record ActivityQuery
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 999;

    /// <summary>Sort names and the <c>activity</c> columns they order by (docs/design.md, "Activity store").</summary>
    private static readonly Dictionary<string, string> SortKeys = new(StringComparer.Ordinal)
    {
        ["id"] = "id",
        ["time"] = "ts_unix_ns",
        ["model"] = "model",
        ["req_path"] = "req_path",
        ["resp_status_code"] = "resp_status_code",
        ["resp_content_type"] = "resp_content_type",
        ["cached"] = "cache_tokens",
        ["prompt"] = "input_tokens",
        ["generated"] = "output_tokens",
        ["drafted"] = "draft_tokens",
        ["prompt_speed"] = "prompt_per_second",
        ["gen_speed"] = "tokens_per_second",
        ["duration"] = "duration_ms",
    };

    public IReadOnlyList<string> Models { get; init; } = [];
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public long? MinId { get; init; }
    public long? MaxId { get; init; }
    public int Limit { get; init; } = DefaultLimit;
    public int Page { get; init; } = 1;
    public string Sort { get; init; } = "id";
    public bool Descending { get; init; } = true;

    /// <returns>The query, or null with the reason in <paramref name="error"/>.</returns>
    public static ActivityQuery? Parse(IQueryCollection query, out string? error)
    {
        error = null;
        var result = new ActivityQuery { Models = [.. query["model"].Where(m => !string.IsNullOrEmpty(m)).Select(m => m!)] };

        if (!TryTime(query, "start", out var start, ref error) || !TryTime(query, "end", out var end, ref error)
            || !TryLong(query, "min_id", 0, long.MaxValue, out var minId, ref error) || !TryLong(query, "max_id", 0, long.MaxValue, out var maxId, ref error)
            || !TryLong(query, "limit", 1, MaxLimit, out var limit, ref error) || !TryLong(query, "page", 1, int.MaxValue, out var page, ref error))
        {
            return null;
        }

        var sort = query["sort"].ToString();
        if (sort.Length > 0 && !SortKeys.ContainsKey(sort))
        {
            error = $"invalid sort: must be one of {string.Join(", ", SortKeys.Keys)}";
            return null;
        }

        var order = query["order"].ToString();
        if (order.Length > 0 && order is not ("asc" or "desc"))
        {
            error = "invalid order: must be asc or desc";
            return null;
        }

        return result with
        {
            Start = start,
            End = end,
            MinId = minId,
            MaxId = maxId,
            Limit = (int)(limit ?? DefaultLimit),
            Page = (int)(page ?? 1),
            Sort = sort.Length > 0 ? sort : "id",
            Descending = order != "asc",
        };
    }

    /// <summary>The column a sort name orders by (a name <see cref="Parse"/> accepted).</summary>
    public static string Column(string sort) => SortKeys[sort];

    private static bool TryTime(IQueryCollection query, string name, out DateTimeOffset? value, ref string? error)
    {
        value = null;
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && text.Contains('T', StringComparison.Ordinal))
        {
            value = parsed;
            return true;
        }

        error = $"invalid {name}: must be an RFC3339 time";
        return false;
    }

    private static bool TryLong(IQueryCollection query, string name, long min, long max, out long? value, ref string? error)
    {
        value = null;
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            value = parsed;
            return true;
        }

        error = $"invalid {name}: must be an integer from {min} to {max}";
        return false;
    }
}
