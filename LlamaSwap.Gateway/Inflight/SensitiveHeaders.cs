namespace LlamaSwap.Gateway.Inflight;

/// <summary>Headers never shown or stored as sent (reference 2.4, 2.4.3): credentials and cookies.</summary>
internal static class SensitiveHeaders
{
    public const string Redacted = "[REDACTED]";

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key",
    };

    public static bool IsSensitive(string name) => Names.Contains(name);

    /// <summary>First value per header, sensitive ones replaced, optionally without some names.</summary>
    public static Dictionary<string, string> Redact(IReadOnlyList<KeyValuePair<string, string>> headers, string? without = null)
    {
        var redacted = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (without is not null && string.Equals(name, without, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            redacted.TryAdd(name, IsSensitive(name) ? Redacted : value);
        }

        return redacted;
    }

    /// <summary>A copy of the headers with the first value of each: the request object outlives the HttpContext.</summary>
    public static KeyValuePair<string, string>[] Copy(IHeaderDictionary headers)
    {
        var copy = new KeyValuePair<string, string>[headers.Count];
        var i = 0;
        foreach (var (name, values) in headers)
        {
            if (i == copy.Length)
            {
                break;
            }

            copy[i++] = new(name, values.Count > 0 ? values[0] ?? "" : "");
        }

        return i == copy.Length ? copy : copy[..i];
    }
}
