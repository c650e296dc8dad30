namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// The configured name a mistyped model name most likely meant, for the "did you mean" of a 404.
/// Case is ignored. A candidate qualifies when it differs only in case, when one name starts with the
/// other (<c>qwen3</c> and <c>qwen3-8b</c>), when it is a small edit away (a quarter of the shorter
/// name, at least one: <c>lama</c> and <c>llama</c>), or when the two share a prefix of at least four
/// characters covering half the shorter name (<c>gpt-4o</c> and <c>gpt-oss</c>). The qualifying
/// candidate fewest edits away wins.
/// </summary>
internal static class ModelNameSuggestion
{
    /// <summary>Longer names are not compared: the cost is quadratic in the length, and no real name is this long.</summary>
    public const int MaxLength = 256;

    private const int MinSharedPrefix = 4;
    private const int MinContainedLength = 3;

    /// <summary>The best candidate for <paramref name="requested"/>, or null when none qualifies.</summary>
    public static string? Closest(string requested, IEnumerable<string> candidates)
        => Closest([requested], candidates)?.Name;

    /// <summary>
    /// The best candidate for any of <paramref name="requestedForms"/> (the ways a path can be read as a
    /// name), with the form it matched; null when none qualifies. Ties go to the earlier form, then to
    /// the ordinally smaller name, so the answer never depends on the configuration's order.
    /// </summary>
    public static (string Requested, string Name)? Closest(IReadOnlyList<string> requestedForms, IEnumerable<string> candidates)
    {
        (string Requested, string Name, Rank Rank)? best = null;
        // Sorted, and only a strictly better rank replaces the best so far: ties keep the earlier form and name.
        var sorted = candidates.Where(c => c.Length is > 0 and <= MaxLength).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var requested in requestedForms)
        {
            if (requested.Length is 0 or > MaxLength)
            {
                continue;
            }

            foreach (var candidate in sorted)
            {
                if (candidate == requested || RankOf(requested, candidate) is not { } rank)
                {
                    continue;
                }

                if (best is null || rank.CompareTo(best.Value.Rank) < 0)
                {
                    best = (requested, candidate, rank);
                }
            }
        }

        return best is { } found ? (found.Requested, found.Name) : null;
    }

    private static Rank? RankOf(string requested, string candidate)
    {
        var a = requested.ToLowerInvariant();
        var b = candidate.ToLowerInvariant();
        var distance = Distance(a, b);
        var shorter = Math.Min(a.Length, b.Length);
        var shared = SharedPrefix(a, b);
        if (distance == 0)
        {
            return new Rank(Tier.SameIgnoringCase, 0, shared);
        }

        if (shorter >= MinContainedLength && (b.StartsWith(a, StringComparison.Ordinal) || a.StartsWith(b, StringComparison.Ordinal)))
        {
            return new Rank(Tier.Contained, distance, shared);
        }

        if (distance <= Math.Max(1, shorter / 4) || (shared >= MinSharedPrefix && shared * 2 >= shorter))
        {
            return new Rank(Tier.Similar, distance, shared);
        }

        return null;
    }

    /// <summary>Levenshtein distance (insert, delete, substitute), two rows.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static int SharedPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b);

    private enum Tier
    {
        SameIgnoringCase,
        Contained,
        Similar,
    }

    /// <summary>Smaller is better: fewer edits, then the closer kind of match, then a longer shared prefix.</summary>
    private readonly record struct Rank(Tier Tier, int Distance, int SharedPrefix) : IComparable<Rank>
    {
        public int CompareTo(Rank other)
            => Distance != other.Distance ? Distance.CompareTo(other.Distance)
                : Tier != other.Tier ? Tier.CompareTo(other.Tier)
                : other.SharedPrefix.CompareTo(SharedPrefix);
    }
}
