using System.Globalization;

namespace LlamaSwap.Gateway.Metrics.Performance;

/// <summary>
/// Parsers for the Linux <c>/proc</c> files the system metrics come from (reference 2.3 <c>GET /metrics</c>).
/// Pure functions over the files' text, so tests feed them fixed content.
/// </summary>
internal static class ProcStats
{
    /// <summary>Per-core jiffies from <c>/proc/stat</c> (<c>cpuN</c> lines; the aggregate <c>cpu</c> line is skipped).</summary>
    public static IReadOnlyList<CpuTimes> ParseCpu(string stat)
    {
        var cores = new List<CpuTimes>();
        foreach (var line in stat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3]))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // user nice system idle iowait irq softirq steal; guest time is already counted in user.
            var values = fields.Skip(1).Take(8).Select(f => ulong.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = values.Length > 4 ? values[3] + values[4] : values.ElementAtOrDefault(3);
            cores.Add(new CpuTimes(fields[0][3..], values.Aggregate(0UL, (a, b) => a + b), idle));
        }

        return cores;
    }

    /// <summary>Busy share of each core between two readings, in percent (0 when no time passed).</summary>
    public static IReadOnlyList<(string Core, double Percent)> Utilisation(IReadOnlyList<CpuTimes>? previous, IReadOnlyList<CpuTimes> current)
    {
        var result = new List<(string, double)>(current.Count);
        foreach (var now in current)
        {
            var before = previous?.FirstOrDefault(p => p.Core == now.Core);
            var total = now.Total - (before?.Total ?? 0);
            var idle = now.Idle - (before?.Idle ?? 0);
            result.Add((now.Core, total == 0 || idle > total ? 0 : 100.0 * (total - idle) / total));
        }

        return result;
    }

    /// <summary>
    /// <c>/proc/meminfo</c> in bytes. Used is total minus available (what the kernel could hand out
    /// without swapping), free is <c>MemFree</c>, as <c>free(1)</c> shows them.
    /// </summary>
    public static MemoryStats ParseMemory(string meminfo)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in meminfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var parts = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                values[line[..colon]] = parts.Length > 1 && parts[1] == "kB" ? value * 1024 : value;
            }
        }

        long Get(string key) => values.GetValueOrDefault(key);
        var total = Get("MemTotal");
        var available = values.TryGetValue("MemAvailable", out var a) ? a : Get("MemFree") + Get("Buffers") + Get("Cached");
        return new MemoryStats(total, total - available, Get("MemFree"), Get("SwapTotal"), Get("SwapTotal") - Get("SwapFree"));
    }

    /// <summary>The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c>.</summary>
    public static (double One, double Five, double Fifteen) ParseLoadAverage(string loadavg)
    {
        var fields = loadavg.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (double.Parse(fields[0], CultureInfo.InvariantCulture),
            double.Parse(fields[1], CultureInfo.InvariantCulture),
            double.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Received and transmitted bytes per interface from <c>/proc/net/dev</c> (counters since boot).</summary>
    public static IReadOnlyList<NetworkStats> ParseNetwork(string netdev)
    {
        var interfaces = new List<NetworkStats>();
        foreach (var line in netdev.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 9)
            {
                interfaces.Add(new NetworkStats(
                    line[..colon].Trim(),
                    long.Parse(fields[0], CultureInfo.InvariantCulture),
                    long.Parse(fields[8], CultureInfo.InvariantCulture)));
            }
        }

        return interfaces;
    }
}

/// <summary>Cumulative jiffies of one core: all states, and idle (idle + iowait).</summary>
internal sealed record CpuTimes(string Core, ulong Total, ulong Idle);

internal sealed record MemoryStats(long TotalBytes, long UsedBytes, long FreeBytes, long SwapTotalBytes, long SwapUsedBytes);

internal sealed record NetworkStats(string Interface, long ReceivedBytes, long TransmittedBytes);
