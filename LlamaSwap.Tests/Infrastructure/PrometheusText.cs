using System.Globalization;
using System.Text;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>
/// A strict parser of Prometheus text exposition format 0.0.4, for asserting on <c>/metrics</c>:
/// it throws <see cref="FormatException"/> on anything a Prometheus server would reject (bad names,
/// bad escapes, TYPE after samples, a family split in two, histogram buckets that are not
/// cumulative or lack <c>le="+Inf"</c> equal to <c>_count</c>).
/// </summary>
internal sealed class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private PrometheusText(Dictionary<string, string> types, Dictionary<string, string> help, List<PrometheusSample> samples)
    {
        TypeOf = types;
        HelpOf = help;
        Samples = samples;
    }

    /// <summary>Family name → TYPE.</summary>
    public IReadOnlyDictionary<string, string> TypeOf { get; }

    /// <summary>Family name → HELP text (unescaped).</summary>
    public IReadOnlyDictionary<string, string> HelpOf { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Samples named <paramref name="name"/> whose labels include every pair in <paramref name="labels"/>.</summary>
    public IEnumerable<PrometheusSample> Find(string name, params (string Name, string Value)[] labels)
        => Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The one sample's value, or null when there is none; throws when several match.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
        => Find(name, labels).SingleOrDefault()?.Value;

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var finishedFamilies = new HashSet<string>(StringComparer.Ordinal);
        string? currentFamily = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || (line.StartsWith('#') && !line.StartsWith("# HELP ", StringComparison.Ordinal) && !line.StartsWith("# TYPE ", StringComparison.Ordinal)))
            {
                continue;
            }

            try
            {
                if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    var parts = line[7..].Split(' ');
                    if (parts.Length != 2 || !IsMetricName(parts[0]) || !Types.Contains(parts[1]))
                    {
                        throw new FormatException("malformed TYPE line");
                    }

                    if (types.ContainsKey(parts[0]) || samples.Any(s => FamilyOf(s.Name, types) == parts[0]))
                    {
                        throw new FormatException($"TYPE for {parts[0]} repeated or after its samples");
                    }

                    types[parts[0]] = parts[1];
                }
                else if (line.StartsWith("# HELP ", StringComparison.Ordinal))
                {
                    var space = line.IndexOf(' ', 7);
                    var name = space < 0 ? line[7..] : line[7..space];
                    if (!IsMetricName(name) || !help.TryAdd(name, space < 0 ? "" : UnescapeHelp(line[(space + 1)..])))
                    {
                        throw new FormatException("malformed or repeated HELP line");
                    }
                }
                else
                {
                    var sample = ParseSample(line);
                    var family = FamilyOf(sample.Name, types);
                    if (family != currentFamily)
                    {
                        if (finishedFamilies.Contains(family))
                        {
                            throw new FormatException($"samples of {family} are not contiguous");
                        }

                        if (currentFamily is not null)
                        {
                            finishedFamilies.Add(currentFamily);
                        }

                        currentFamily = family;
                    }

                    samples.Add(sample);
                }
            }
            catch (FormatException ex)
            {
                throw new FormatException($"line {lineNumber}: {ex.Message}: {line}", ex);
            }
        }

        CheckHistograms(types, samples);
        return new PrometheusText(types, help, samples);
    }

    private static string FamilyOf(string sampleName, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && types.TryGetValue(sampleName[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static void CheckHistograms(Dictionary<string, string> types, List<PrometheusSample> samples)
    {
        foreach (var (family, _) in types.Where(t => t.Value == "histogram"))
        {
            var series = samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(',', s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
            foreach (var buckets in series)
            {
                var previous = 0.0;
                var previousBound = double.NegativeInfinity;
                foreach (var bucket in buckets)
                {
                    var bound = ParseValue(bucket.Labels.TryGetValue("le", out var le) ? le : throw new FormatException($"{family} bucket without le"));
                    if (bound <= previousBound || bucket.Value < previous)
                    {
                        throw new FormatException($"{family} buckets are not in increasing, cumulative order");
                    }

                    previous = bucket.Value;
                    previousBound = bound;
                }

                if (!double.IsPositiveInfinity(previousBound))
                {
                    throw new FormatException($"{family} has no le=\"+Inf\" bucket");
                }

                var labels = buckets.First().Labels.Where(l => l.Key != "le").Select(l => (l.Key, l.Value)).ToArray();
                var count = samples.Where(s => s.Name == family + "_count" && SameLabels(s.Labels, labels)).Select(s => (double?)s.Value).SingleOrDefault();
                if (count != previous)
                {
                    throw new FormatException($"{family}: +Inf bucket {previous} differs from _count {count}");
                }
            }
        }
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> labels, (string Key, string Value)[] expected)
        => labels.Count == expected.Length && expected.All(e => labels.TryGetValue(e.Key, out var v) && v == e.Value);

    private static PrometheusSample ParseSample(string line)
    {
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }

        var name = line[..position];
        if (!IsMetricName(name))
        {
            throw new FormatException($"invalid metric name '{name}'");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var labelName = equals < 0 ? throw new FormatException("label without '='") : line[position..equals];
                if (!IsLabelName(labelName) || equals + 1 >= line.Length || line[equals + 1] != '"')
                {
                    throw new FormatException($"invalid label '{labelName}'");
                }

                position = equals + 2;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException("invalid escape in label value"),
                        });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                if (!labels.TryAdd(labelName, value.ToString()))
                {
                    throw new FormatException($"label {labelName} repeated");
                }

                position++;
                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException("expected ',' or '}' after a label");
                }
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException("expected a space before the value");
        }

        var rest = line[(position + 1)..].Split(' ');
        if (rest.Length > 2 || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException("expected a value and an optional integer timestamp");
        }

        return new PrometheusSample(name, labels, ParseValue(rest[0]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"invalid value '{text}'"),
    };

    private static string UnescapeHelp(string text) => text.Replace(@"\n", "\n", StringComparison.Ordinal).Replace(@"\\", @"\", StringComparison.Ordinal);

    private static bool IsMetricName(string name)
        => name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name)
        => name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

/// <summary>One sample line: metric name, labels (unescaped) and value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
