using System.Text;

namespace LlamaSwap.ServiceDefaults.Telemetry.Prometheus;

/// <summary>
/// OpenTelemetry instrument names and units as Prometheus metric names, following the
/// OpenTelemetry "Prometheus and OpenMetrics compatibility" rules: invalid characters become
/// <c>_</c>, the unit becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, an
/// annotation such as <c>{token}</c> adds nothing) unless the name already ends with it, and
/// counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["By/s"] = "bytes_per_second",
        ["%"] = "percent",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["W"] = "watts",
        ["J"] = "joules",
        ["V"] = "volts",
        ["A"] = "amperes",
    };

    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        if (UnitSuffix(unit) is { } suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal)
            && !name.EndsWith("_" + suffix + "_total", StringComparison.Ordinal))
        {
            name = $"{name}_{suffix}";
        }

        return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static void AppendLabelValue(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>HELP text escapes backslash and line feed only.</summary>
    public static void AppendHelp(StringBuilder text, string help)
    {
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    private static string? UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit) || unit == "1" || unit.StartsWith('{'))
        {
            // Dimensionless, or an annotation such as {request}: nothing to add to the name.
            return null;
        }

        return Units.TryGetValue(unit, out var known) ? known : Sanitize(unit, allowColon: false).Trim('_') is { Length: > 0 } other ? other : null;
    }

    private static string Sanitize(string name, bool allowColon)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            text.Append(valid ? c : '_');
        }

        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }
}
