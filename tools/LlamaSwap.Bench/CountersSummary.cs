using System.Globalization;
using System.Text;

namespace LlamaSwap.Bench;

/// <summary>
/// Condenses the <c>dotnet-counters collect --format csv</c> files of a run (one per phase and
/// service, refreshed every second) into one table: where each service spent its time in the phase.
/// </summary>
internal static class CountersSummary
{
    public static string Summarize(string directory)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Runtime counters per service and phase (`dotnet-counters collect`, 1 s; files in {directory})");
        sb.AppendLine();
        sb.AppendLine("| phase | service | CPU s | GCs gen0/1/2 | GC pause s | JIT s | exceptions | lock contentions | allocated MB | max wait for a pooled connection, p99 s (to: peer port) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var file in Directory.EnumerateFiles(directory, "*.csv").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file).Split('-', 2);
            double cpu = 0, pause = 0, jit = 0, exceptions = 0, contentions = 0, allocated = 0;
            var gcs = new double[3];
            var queue = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; the name may hold commas inside [...].
                var last = line.LastIndexOf(',');
                var typeStart = line.LastIndexOf(',', last - 1);
                var providerEnd = line.IndexOf(',', line.IndexOf(',') + 1);
                var counter = line[(providerEnd + 1)..typeStart];
                if (!double.TryParse(line[(last + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                if (counter.StartsWith("dotnet.process.cpu.time", StringComparison.Ordinal))
                {
                    cpu += value;
                }
                else if (counter.StartsWith("dotnet.gc.pause.time", StringComparison.Ordinal))
                {
                    pause += value;
                }
                else if (counter.StartsWith("dotnet.jit.compilation.time", StringComparison.Ordinal))
                {
                    jit += value;
                }
                else if (counter.StartsWith("dotnet.exceptions", StringComparison.Ordinal))
                {
                    exceptions += value;
                }
                else if (counter.StartsWith("dotnet.monitor.lock_contentions", StringComparison.Ordinal))
                {
                    contentions += value;
                }
                else if (counter.StartsWith("dotnet.gc.heap.total_allocated", StringComparison.Ordinal))
                {
                    allocated += value;
                }
                else if (counter.StartsWith("dotnet.gc.collections", StringComparison.Ordinal))
                {
                    var generation = counter.Contains("gen0", StringComparison.Ordinal) ? 0 : counter.Contains("gen1", StringComparison.Ordinal) ? 1 : 2;
                    gcs[generation] += value;
                }
                else if (counter.StartsWith("http.client.request.time_in_queue", StringComparison.Ordinal)
                         && counter.Contains("Percentile=99", StringComparison.Ordinal)
                         && Tag(counter, "server.port") is { } port)
                {
                    queue[port] = Math.Max(queue.GetValueOrDefault(port), value);
                }
            }

            var waits = string.Join(", ", queue.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"{q.Key}: {q.Value:F3}"));
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {name[0]} | {name[1]} | {cpu:F2} | {gcs[0]:F0}/{gcs[1]:F0}/{gcs[2]:F0} | {pause:F3} | {jit:F2} | {exceptions:F0} | {contentions:F0} | {allocated / 1e6:F0} | {waits} |");
        }

        return sb.ToString();
    }

    private static string? Tag(string counter, string tag)
    {
        var start = counter.IndexOf(tag + "=", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += tag.Length + 1;
        var end = counter.IndexOfAny([';', ']'], start);
        return end < 0 ? counter[start..] : counter[start..end];
    }
}
