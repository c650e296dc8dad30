using System.Globalization;

namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// llama-swap's <c>logTimeFormat</c> names (Go's <c>time</c> layout constants) as .NET formatting.
/// Go prints zone abbreviations (<c>MST</c>); .NET has none, so <c>UTC</c> or the numeric offset stands in.
/// </summary>
internal static class GoTimeLayouts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, Func<DateTimeOffset, string>> Layouts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ansic"] = t => $"{F(t, "ddd MMM")} {Day(t)} {F(t, "HH:mm:ss yyyy")}",
        ["unixdate"] = t => $"{F(t, "ddd MMM")} {Day(t)} {F(t, "HH:mm:ss")} {Zone(t)} {F(t, "yyyy")}",
        ["rubydate"] = t => $"{F(t, "ddd MMM dd HH:mm:ss")} {NumericZone(t)} {F(t, "yyyy")}",
        ["rfc822"] = t => $"{F(t, "dd MMM yy HH:mm")} {Zone(t)}",
        ["rfc822z"] = t => $"{F(t, "dd MMM yy HH:mm")} {NumericZone(t)}",
        ["rfc850"] = t => $"{F(t, "dddd, dd-MMM-yy HH:mm:ss")} {Zone(t)}",
        ["rfc1123"] = t => $"{F(t, "ddd, dd MMM yyyy HH:mm:ss")} {Zone(t)}",
        ["rfc1123z"] = t => $"{F(t, "ddd, dd MMM yyyy HH:mm:ss")} {NumericZone(t)}",
        ["rfc3339"] = t => F(t, "yyyy-MM-dd'T'HH:mm:ss") + Rfc3339Zone(t),
        ["rfc3339nano"] = t => F(t, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF").TrimEnd('.') + Rfc3339Zone(t),
        ["kitchen"] = t => F(t, "h:mmtt"),
        ["stamp"] = t => $"{F(t, "MMM")} {Day(t)} {F(t, "HH:mm:ss")}",
        ["stampmilli"] = t => $"{F(t, "MMM")} {Day(t)} {F(t, "HH:mm:ss.fff")}",
        ["stampmicro"] = t => $"{F(t, "MMM")} {Day(t)} {F(t, "HH:mm:ss.ffffff")}",

        // .NET keeps 100 ns ticks: the last two of Go's nine digits are always zero.
        ["stampnano"] = t => $"{F(t, "MMM")} {Day(t)} {F(t, "HH:mm:ss.fffffff")}00",
    };

    /// <summary>The formatter for a layout name; null for none/unknown (llama-swap: no timestamp).</summary>
    public static Func<DateTimeOffset, string>? Find(string? name)
        => name is not null && Layouts.TryGetValue(name.Trim(), out var format) ? format : null;

    private static string F(DateTimeOffset t, string format) => t.ToString(format, Invariant);

    // Go's "_2": the day space-padded to two characters.
    private static string Day(DateTimeOffset t) => t.Day.ToString(Invariant).PadLeft(2);

    private static string Zone(DateTimeOffset t) => t.Offset == TimeSpan.Zero ? "UTC" : NumericZone(t);

    private static string NumericZone(DateTimeOffset t) => F(t, "zzz").Replace(":", "", StringComparison.Ordinal);

    private static string Rfc3339Zone(DateTimeOffset t) => t.Offset == TimeSpan.Zero ? "Z" : F(t, "zzz");
}
