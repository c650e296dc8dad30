using System.Globalization;
using System.Text.RegularExpressions;

namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>
/// Resolves plain scalars with the YAML 1.2 core schema, the schema llama-swap's Go decoder uses,
/// so <c>ttl: 60</c> is an int while <c>ttl: "60"</c> is a string.
/// </summary>
internal static partial class ScalarResolver
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static ScalarKind Resolve(string text, bool isPlain, string? tag)
    {
        if (tag is not null && tag.StartsWith(TagPrefix, StringComparison.Ordinal))
        {
            return tag[TagPrefix.Length..] switch
            {
                "str" => ScalarKind.String,
                "int" => ScalarKind.Int,
                "float" => ScalarKind.Float,
                "bool" => ScalarKind.Bool,
                "null" => ScalarKind.Null,
                _ => ScalarKind.String,
            };
        }

        if (!isPlain)
        {
            return ScalarKind.String;
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Bool,
            _ when IntPattern().IsMatch(text) => ScalarKind.Int,
            _ when FloatPattern().IsMatch(text) => ScalarKind.Float,
            _ => ScalarKind.String,
        };
    }

    /// <summary>Parses a core-schema integer (decimal, 0x hex, 0o octal).</summary>
    public static bool TryParseInt(string text, out long value)
    {
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        bool ok;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            ok = TryParseOctal(digits[2..], out value);
        }
        else
        {
            ok = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (negative)
        {
            value = -value;
        }

        return ok && digits.Length > 0;
    }

    /// <summary>The text Go's <c>%v</c> would print for the scalar, used when a macro is interpolated.</summary>
    public static string Canonical(string text, ScalarKind kind)
    {
        switch (kind)
        {
            case ScalarKind.Int when TryParseInt(text, out var i):
                return i.ToString(CultureInfo.InvariantCulture);
            case ScalarKind.Float when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return d.ToString("R", CultureInfo.InvariantCulture);
            case ScalarKind.Bool:
                return text.ToLowerInvariant();
            default:
                return text;
        }
    }

    private static bool TryParseOctal(string digits, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = checked((value * 8) + (c - '0'));
        }

        return digits.Length > 0;
    }

    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();
}
