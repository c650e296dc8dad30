using LlamaSwap.Core.Processes;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>What runs on the machine, from /proc: the processes below a parent, or those whose command line names a file.</summary>
internal static class ProcessTree
{
    /// <summary>Every live process below <paramref name="root"/>, from the parent links in /proc.</summary>
    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var pid in AllPids())
        {
            if (ProcFs.ReadStat(pid) is { } stat)
            {
                parents[pid] = stat.ParentProcessId;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    /// <summary>Live (not zombie) processes whose command line contains <paramref name="fragment"/>.</summary>
    public static List<int> WithCommandLine(string fragment)
        => [.. AllPids().Where(pid => ProcFs.IsAlive(pid) && CommandLine(pid).Contains(fragment, StringComparison.Ordinal))];

    /// <summary>The process's arguments joined by spaces ("" once it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                yield return pid;
            }
        }
    }
}
