using System.Globalization;

namespace LlamaSwap.Gateway.Usage;

/// <summary>
/// Redis layout of usage: one hash per UTC day, <c>llamaswap:usage:yyyy-MM-dd</c>, with three
/// fields per key and model: <c>&lt;key&gt;|&lt;model&gt;|requests</c>, <c>...|in</c>, <c>...|out</c>.
/// A <c>|</c> or <c>%</c> in the key name is percent-encoded, so the first <c>|</c> ends the key and the
/// last one starts the figure; a model name may contain <c>|</c>. No expiry: usage is kept until deleted.
/// </summary>
internal static class UsageFields
{
    public const string Requests = "requests";
    public const string Input = "in";
    public const string Output = "out";

    public static string HashKey(string day) => $"llamaswap:usage:{day}";

    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Field(string key, string model, string figure)
        => $"{key.Replace("%", "%25", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal)}|{model}|{figure}";

    /// <returns>False for a field this layout did not write.</returns>
    public static bool TryParse(string field, out string key, out string model, out string figure)
    {
        key = model = figure = "";
        var first = field.IndexOf('|', StringComparison.Ordinal);
        var last = field.LastIndexOf('|');
        if (first < 0 || last <= first)
        {
            return false;
        }

        key = field[..first].Replace("%7C", "|", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
        model = field[(first + 1)..last];
        figure = field[(last + 1)..];
        return figure is Requests or Input or Output;
    }
}
