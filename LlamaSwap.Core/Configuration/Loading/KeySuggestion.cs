namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// The valid key an unknown one was most likely meant to be: the same key in other letter case
/// (<c>healthcheckTimeout</c>), else the nearest within two edits, ignoring case. Short keys get at
/// most one edit, or every two-letter typo would suggest some other two-letter key.
/// </summary>
internal static class KeySuggestion
{
    private const int MaxDistance = 2;

    /// <summary>The suggestion, or null when no valid key is near; ties go to the first in <paramref name="validKeys"/>.</summary>
    public static string? For(string unknown, IEnumerable<string> validKeys)
    {
        var limit = Math.Min(MaxDistance, Math.Max(1, unknown.Length / 2));
        var lowered = unknown.ToLowerInvariant();
        string? best = null;
        var bestDistance = limit + 1;
        foreach (var key in validKeys)
        {
            if (string.Equals(key, unknown, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }

            var distance = EditDistance.Between(lowered, key.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = key;
                bestDistance = distance;
            }
        }

        return best;
    }
}
