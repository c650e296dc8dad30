using System.Globalization;

namespace LlamaSwap.Cli.Status;

/// <summary>
/// Resident memory of a set of processes, three ways. Summed RSS counts a page shared by several of
/// them (the .NET runtime and framework files the three services all map) once per process;
/// summed PSS splits each shared page between its users; the distinct-page count is what the set
/// really holds in RAM (it needs <c>/proc/PID/pagemap</c> frame numbers, which only root can read).
/// </summary>
internal sealed record StackMemory(long RssBytes, long PssBytes, long? DistinctBytes)
{
    private const int PageSize = 4096;

    public static StackMemory Measure(IEnumerable<int> pids)
    {
        long rss = 0;
        long pss = 0;
        var frames = new HashSet<ulong>();
        var distinctKnown = true;
        foreach (var pid in pids)
        {
            var rollup = Rollup(pid);
            rss += rollup.GetValueOrDefault("Rss");
            pss += rollup.GetValueOrDefault("Pss");
            distinctKnown = distinctKnown && AddFrames(pid, frames);
        }

        return new StackMemory(rss, pss, distinctKnown ? (long)frames.Count * PageSize : null);
    }

    public static long Rss(int pid) => Rollup(pid).GetValueOrDefault("Rss");

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    public override string ToString()
        => $"{(DistinctBytes is { } distinct ? MiB(distinct) + " resident (distinct pages), " : "")}{MiB(PssBytes)} PSS, {MiB(RssBytes)} summed RSS";

    /// <summary>The kB fields of <c>/proc/PID/smaps_rollup</c>, in bytes.</summary>
    private static Dictionary<string, long> Rollup(int pid)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts is [var name, var value, "kB"] && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    fields[name.TrimEnd(':')] = kb * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return fields;
    }

    /// <summary>Adds the physical frames of every present page; false when frame numbers are hidden (not root).</summary>
    private static bool AddFrames(int pid, HashSet<ulong> frames)
    {
        try
        {
            using var pagemap = new FileStream($"/proc/{pid}/pagemap", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            var sawFrame = false;
            var buffer = new byte[8 * 512];
            foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
            {
                if (line.EndsWith("[vsyscall]", StringComparison.Ordinal))
                {
                    continue;
                }

                var dash = line.IndexOf('-', StringComparison.Ordinal);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                for (var page = start / PageSize; page < end / PageSize; page += 512)
                {
                    var count = (int)Math.Min(512, (end / PageSize) - page);
                    pagemap.Seek((long)(page * 8), SeekOrigin.Begin);
                    var read = pagemap.ReadAtLeast(buffer.AsSpan(0, count * 8), count * 8, throwOnEndOfStream: false);
                    for (var i = 0; i + 8 <= read; i += 8)
                    {
                        var entry = BitConverter.ToUInt64(buffer, i);
                        var present = (entry & (1UL << 63)) != 0;
                        var frame = entry & ((1UL << 55) - 1);
                        if (present && frame != 0)
                        {
                            frames.Add(frame);
                            sawFrame = true;
                        }
                    }
                }
            }

            return sawFrame;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
