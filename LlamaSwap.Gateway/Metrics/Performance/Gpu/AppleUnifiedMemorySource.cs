using System.Globalization;
using System.Text.RegularExpressions;

namespace LlamaSwap.Gateway.Metrics.Performance.Gpu;

/// <summary>
/// Apple Silicon: the GPU shares the machine's memory, so its memory is the system's
/// (<c>sysctl -n hw.memsize</c>) and in use is what <c>vm_stat</c> counts as active, wired and
/// compressed. macOS gives no GPU utilisation, temperature or power without root; those stay 0.
/// Only chosen on macOS on arm64.
/// </summary>
internal sealed partial class AppleUnifiedMemorySource(string sysctl, string vmStat, ToolRunner runner) : IGpuSource
{
    private const long Mib = 1024 * 1024;

    public string Name => "apple";

    public async Task<IReadOnlyList<GpuReading>> ReadAsync(DateTime timestamp, CancellationToken cancellationToken)
    {
        var memsize = await runner.RunAsync(sysctl, ["-n", "hw.memsize"], cancellationToken);
        var pages = await runner.RunAsync(vmStat, [], cancellationToken);
        if (!long.TryParse(memsize.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var totalBytes))
        {
            throw new GpuReadException($"sysctl hw.memsize printed no number: {ToolRunner.Shorten(memsize)}");
        }

        var used = UsedBytes(pages) / Mib;
        var total = totalBytes / Mib;
        return
        [
            new GpuReading(
                new GpuStat
                {
                    Timestamp = timestamp,
                    Name = "Apple Silicon GPU",
                    MemUsedMb = used,
                    MemTotalMb = total,
                    MemUtilPct = GpuStat.MemoryPercent(used, total),
                },
                "Apple",
                "unified"),
        ];
    }

    /// <summary>Bytes in use from <c>vm_stat</c>: (active + wired + occupied by compressor) pages times the page size it states.</summary>
    public static long UsedBytes(string vmStat)
    {
        var pageSize = PageSize().Match(vmStat) is { Success: true } m
            ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new GpuReadException($"vm_stat printed no page size: {ToolRunner.Shorten(vmStat)}");
        long Pages(string label) => Regex.Match(vmStat, $@"^{Regex.Escape(label)}:\s+(\d+)\.", RegexOptions.Multiline) is { Success: true } p
            ? long.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        return (Pages("Pages active") + Pages("Pages wired down") + Pages("Pages occupied by compressor")) * pageSize;
    }

    [GeneratedRegex(@"page size of (\d+) bytes")]
    private static partial Regex PageSize();
}
