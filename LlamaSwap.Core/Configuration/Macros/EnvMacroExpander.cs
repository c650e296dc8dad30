using System.Text;
using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Yaml;
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
        var next = 0;
        var lines = new LineCounter(yaml);

        foreach (Match match in EnvPattern().Matches(yaml))
        {
            // Regions and matches both come in text order, so one forward walk finds each match's region.
            while (next < regions.Count && regions[next].End <= match.Index)
            {
                next++;
            }

            var region = next < regions.Count && regions[next].Start <= match.Index ? regions[next] : null;

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
                problems.Add(new EnvProblem(output.Length, lines.At(match.Index), name, $"environment variable '{name}' is not set"));
                output.Append(match.Value);
                continue;
            }

            // A line break would silently change the YAML structure around the value.
            if (value.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
            {
                problems.Add(new EnvProblem(
                    output.Length,
                    lines.At(match.Index),
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

    // Best effort: the parser gives the verdict on the text later, so scanning stops at the first
    // problem, or where the parser will refuse the text anyway, keeping the regions found so far.
    private static List<Region> ScanRegions(string yaml)
    {
        var regions = new List<Region>();
        if (yaml.Length > YamlLimits.MaxDocumentChars)
        {
            return regions;
        }

        var scanner = new Scanner(new StringReader(yaml), skipComments: false);
        var flowDepth = 0;
        try
        {
            while (scanner.MoveNext())
            {
                switch (scanner.Current)
                {
                    // The scanner reports some errors as a token and keeps emitting them without
                    // advancing (only a parser stops there), so going on would never end.
                    case Error:
                        return regions;

                    // Each open '[' or '{' costs the scanner a step on every later token, so
                    // deep nesting (which the parser refuses) would take quadratic time.
                    case FlowSequenceStart or FlowMappingStart:
                        if (++flowDepth > YamlLimits.MaxDepth)
                        {
                            return regions;
                        }

                        break;
                    case FlowSequenceEnd or FlowMappingEnd:
                        flowDepth--;
                        break;
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
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // Invalid YAML, reported by the parser later. YamlDotNet throws a bare
            // InvalidOperationException for a value inside [ ] or { } that goes on at a line
            // indented less than its key (an unclosed bracket, in practice).
        }

        // Token order is text order, but the forward walk in Expand must not depend on it.
        regions.Sort((a, b) => a.Start.CompareTo(b.Start));
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

    // Line and column of offsets asked for in increasing order, counting each line once.
    private sealed class LineCounter(string text)
    {
        private int _line = 1;
        private int _lineStart;
        private int _counted;

        public (int Line, int Column) At(int index)
        {
            for (; _counted < index; _counted++)
            {
                if (text[_counted] == '\n')
                {
                    _line++;
                    _lineStart = _counted + 1;
                }
            }

            return (_line, index - _lineStart + 1);
        }
    }
}
