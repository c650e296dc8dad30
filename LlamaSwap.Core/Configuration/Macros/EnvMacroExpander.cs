using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>
/// Substitutes <c>${env.NAME}</c> in the raw YAML text before parsing (reference 1.6 step 1), so
/// env macros work anywhere, including keys and sections the loader otherwise ignores.
/// </summary>
internal static partial class EnvMacroExpander
{
    public static EnvExpansion Expand(string yaml, IReadOnlyDictionary<string, string> environment)
    {
        var regions = ScanRegions(yaml);
        var output = new StringBuilder(yaml.Length);
        var problems = new List<EnvProblem>();
        var copied = 0;

        foreach (Match match in EnvPattern().Matches(yaml))
        {
            var region = regions.FirstOrDefault(r => match.Index >= r.Start && match.Index < r.End);

            // A commented-out line must not require its variable to be set.
            if (region?.Kind == RegionKind.Comment)
            {
                continue;
            }

            output.Append(yaml, copied, match.Index - copied);
            copied = match.Index + match.Length;

            var name = match.Groups[1].Value;
            if (!environment.TryGetValue(name, out var value))
            {
                problems.Add(new EnvProblem(output.Length, name, $"environment variable '{name}' is not set"));
                output.Append(match.Value);
                continue;
            }

            // A line break would silently change the YAML structure around the value.
            if (value.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
            {
                problems.Add(new EnvProblem(
                    output.Length,
                    name,
                    $"environment variable '{name}' contains a newline, carriage return or NUL character"));
                output.Append(match.Value);
                continue;
            }

            output.Append(Escape(value, region?.Kind));
        }

        output.Append(yaml, copied, yaml.Length - copied);
        return new EnvExpansion(output.ToString(), problems);
    }

    // Escaping depends on where the value lands: only quoted scalars interpret escapes, so a plain
    // scalar such as a Windows path keeps its backslashes as written.
    private static string Escape(string value, RegionKind? kind) => kind switch
    {
        RegionKind.DoubleQuoted => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal),
        RegionKind.SingleQuoted => value.Replace("'", "''", StringComparison.Ordinal),
        _ => value,
    };

    private static List<Region> ScanRegions(string yaml)
    {
        var regions = new List<Region>();
        var scanner = new Scanner(new StringReader(yaml), skipComments: false);
        try
        {
            while (scanner.MoveNext())
            {
                switch (scanner.Current)
                {
                    case Comment comment:
                        regions.Add(new Region((int)comment.Start.Index, (int)comment.End.Index, RegionKind.Comment));
                        break;
                    case YamlDotNet.Core.Tokens.Scalar { Style: ScalarStyle.DoubleQuoted } scalar:
                        regions.Add(new Region((int)scalar.Start.Index, (int)scalar.End.Index, RegionKind.DoubleQuoted));
                        break;
                    case YamlDotNet.Core.Tokens.Scalar { Style: ScalarStyle.SingleQuoted } scalar:
                        regions.Add(new Region((int)scalar.Start.Index, (int)scalar.End.Index, RegionKind.SingleQuoted));
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // Invalid YAML is reported by the parser later; regions found so far are still right.
        }

        return regions;
    }

    [GeneratedRegex(@"\$\{env\.([a-zA-Z_][a-zA-Z0-9_]*)\}")]
    private static partial Regex EnvPattern();

    private enum RegionKind
    {
        Comment,
        DoubleQuoted,
        SingleQuoted,
    }

    private sealed record Region(int Start, int End, RegionKind Kind);
}
