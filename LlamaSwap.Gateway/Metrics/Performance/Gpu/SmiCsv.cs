using System.Globalization;

namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// The CSV that <c>nvidia-smi --format=csv</c> and <c>rocm-smi --csv</c> print, read by column name:
/// a field a GPU or driver version does not report (<c>[N/A]</c>, <c>[Not Supported]</c>) or a column
/// in another order cannot shift the others. Units in headers (<c>memory.used [MiB]</c>) and values
/// (<c>5934 MiB</c>, <c>20 %</c>) are tolerated, so output with or without <c>nounits</c> reads the same.
/// </summary>
internal static class SmiCsv
{
    /// <summary>The rows under the first line <paramref name="isHeader"/> accepts; throws when there is none or a row has another width.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(string text, string tool, Predicate<string> isHeader)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var headerIndex = Array.FindIndex(lines, isHeader);
        if (headerIndex < 0)
        {
            throw new GpuReadException($"{tool} printed no CSV header: {ToolRunner.Shorten(text)}");
        }

        var columns = lines[headerIndex].Split(',').Select(Column).ToArray();
        var rows = new List<IReadOnlyDictionary<string, string>>();
        foreach (var line in lines.Skip(headerIndex + 1))
        {
            var fields = line.Split(',');
            if (fields.Length != columns.Length)
            {
                throw new GpuReadException($"{tool} printed a row with {fields.Length} fields under {columns.Length} columns: {ToolRunner.Shorten(line)}");
            }

            rows.Add(columns.Zip(fields, (c, f) => (c, f.Trim())).ToDictionary(p => p.c, p => p.Item2, StringComparer.OrdinalIgnoreCase));
        }

        return rows;
    }

    /// <summary>The leading number of a field (<c>5934 MiB</c> is 5934), or 0 for <c>[N/A]</c> and the like.</summary>
    public static double Number(IReadOnlyDictionary<string, string> row, params string[] columns)
    {
        foreach (var column in columns)
        {
            if (row.TryGetValue(column, out var value))
            {
                var token = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }
            }
        }

        return 0;
    }

    public static string? Text(IReadOnlyDictionary<string, string> row, params string[] columns)
    {
        foreach (var column in columns)
        {
            if (row.TryGetValue(column, out var value) && value.Length > 0 && !value.StartsWith('[') && value != "N/A")
            {
                return value;
            }
        }

        return null;
    }

    /// <summary><c>memory.used [MiB]</c> is the column <c>memory.used</c>.</summary>
    private static string Column(string header)
    {
        var name = header.Trim();
        var unit = name.IndexOf(" [", StringComparison.Ordinal);
        return unit > 0 ? name[..unit] : name;
    }
}
