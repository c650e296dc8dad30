using System.Globalization;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>One look at a loading process tree: bytes read with read(2), and resident bytes of the model files' mappings.</summary>
internal readonly record struct LoadSample(long ReadBytes, long MappedBytes);

/// <summary>
/// Reads what the kernel tells about a process tree's loading, under a proc root (<c>/proc</c>, or a
/// fake tree in tests). Only the spawned tree is read, never all of <c>/proc</c>: the cmd may be a
/// shell or a docker client, so children count, found through <c>task/*/children</c>.
/// </summary>
internal sealed class LoadProgressProbe(string procRoot, IReadOnlyList<ModelFile> files)
{
    /// <summary>A tree of a shell, a server and a few helpers is small; this bounds a runaway fork loop.</summary>
    private const int MaxProcesses = 64;

    /// <summary>
    /// smaps makes the kernel walk the page tables of every mapping (measured: 13 ms of CPU for a
    /// 467 MB mapped model, growing with the model), where maps, io and children cost about 0.4 ms.
    /// So smaps is read only while a model file is mapped, and then at most so often that its reads
    /// take 1/<see cref="SmapsBudgetDivisor"/> of one core; in between the last figure stands.
    /// </summary>
    private const int SmapsBudgetDivisor = 50;

    private readonly HashSet<string> _paths = new(files.Select(f => f.Path), StringComparer.Ordinal);
    private readonly Dictionary<int, (long Bytes, long NextAt)> _mapped = [];

    /// <summary>
    /// Read bytes = the sum over the tree of the larger of <c>rchar</c> (read(2), page cache included)
    /// and <c>read_bytes</c> (from storage, mmap faults included); mapped bytes = the largest sum of Rss
    /// of one process's mappings of the model files (a file mapped by two processes is one file).
    /// </summary>
    public LoadSample Sample(int rootPid)
    {
        long read = 0, mapped = 0;
        foreach (var pid in Tree(rootPid))
        {
            read += ReadIo(pid);
            mapped = Math.Max(mapped, MappedRss(pid));
        }

        return new LoadSample(read, mapped);
    }

    /// <summary>The root and its descendants (breadth first, bounded); processes gone meanwhile are skipped.</summary>
    internal List<int> Tree(int rootPid)
    {
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count && tree.Count < MaxProcesses; i++)
        {
            var tasks = Path.Combine(procRoot, tree[i].ToString(CultureInfo.InvariantCulture), "task");
            IEnumerable<string> taskDirectories;
            try
            {
                taskDirectories = Directory.GetDirectories(tasks);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var task in taskDirectories)
            {
                foreach (var word in ReadText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var child) && !tree.Contains(child) && tree.Count < MaxProcesses)
                    {
                        tree.Add(child);
                    }
                }
            }
        }

        return tree;
    }

    private long ReadIo(int pid)
    {
        long rchar = 0, readBytes = 0;
        foreach (var line in ReadText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "io")).Split('\n'))
        {
            if (line.StartsWith("rchar:", StringComparison.Ordinal))
            {
                rchar = ParseNumber(line.AsSpan(6));
            }
            else if (line.StartsWith("read_bytes:", StringComparison.Ordinal))
            {
                readBytes = ParseNumber(line.AsSpan(11));
            }
        }

        return Math.Max(rchar, readBytes);
    }

    private long MappedRss(int pid)
    {
        var directory = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_mapped.TryGetValue(pid, out var last) && now < last.NextAt)
        {
            return last.Bytes;
        }

        if (_paths.Count == 0 || !MapsModelFile(directory))
        {
            return 0;
        }

        var bytes = SmapsRss(directory);
        var cost = System.Diagnostics.Stopwatch.GetTimestamp() - now;
        _mapped[pid] = (bytes, now + (cost * SmapsBudgetDivisor));
        return bytes;
    }

    private bool MapsModelFile(string directory)
    {
        foreach (var line in ReadText(Path.Combine(directory, "maps")).Split('\n'))
        {
            if (IsMappingHeader(line, out var path) && path is not null && _paths.Contains(path))
            {
                return true;
            }
        }

        return false;
    }

    private long SmapsRss(string directory)
    {
        long total = 0;
        var inModelFile = false;
        foreach (var line in ReadText(Path.Combine(directory, "smaps")).Split('\n'))
        {
            if (IsMappingHeader(line, out var path))
            {
                inModelFile = path is not null && _paths.Contains(path);
            }
            else if (inModelFile && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                // "Rss:   123456 kB"
                total += ParseNumber(line.AsSpan(4).TrimEnd("kB".AsSpan())) * 1024;
            }
        }

        return total;
    }

    /// <summary>
    /// A mapping line: <c>7f..-7f.. r--p 00000000 fd:01 1234   /path/with spaces.gguf</c>. The path is
    /// everything after the inode's padding (it may contain spaces); " (deleted)" marks a replaced file.
    /// </summary>
    internal static bool IsMappingHeader(string line, out string? path)
    {
        path = null;
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !Uri.IsHexDigit(line[0]) || line.AsSpan(0, dash).ContainsAnyExcept("0123456789abcdef"))
        {
            return false;
        }

        var rest = line.AsSpan();
        for (var field = 0; field < 5; field++)
        {
            var space = rest.IndexOf(' ');
            if (space < 0)
            {
                return true;
            }

            rest = rest[(space + 1)..].TrimStart(' ');
        }

        path = rest.Length == 0 ? null : rest.ToString();
        return true;
    }

    private static long ParseNumber(ReadOnlySpan<char> text)
        => long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process exited (or its files are not ours to read): it adds nothing.
            return "";
        }
    }
}
