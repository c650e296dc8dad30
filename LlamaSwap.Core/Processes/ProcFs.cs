using System.Globalization;

namespace LlamaSwap.Core.Processes;

/// <summary>Reads <c>/proc/&lt;pid&gt;</c> (proc(5)) for the few facts process supervision needs: state, parentage, group, open sockets.</summary>
public static partial class ProcFs
{
    /// <summary>The parsed fields of one stat line.</summary>
    /// <param name="State">Field 3, e.g. <c>R</c>, <c>S</c>, <c>Z</c> (zombie).</param>
    /// <param name="ParentProcessId">Field 4.</param>
    /// <param name="ProcessGroupId">Field 5.</param>
    /// <param name="StartTime">Field 22: clock ticks after boot; with the pid it identifies one process across PID reuse.</param>
    public readonly record struct ProcStat(char State, int ParentProcessId, int ProcessGroupId, ulong StartTime);

    public static ProcStat? ReadStat(int pid)
    {
        string line;
        try
        {
            line = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // Field 2 (comm) is parenthesised and may itself contain spaces and ')': split after the last ')'.
        var close = line.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 of proc(5).
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ppid)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pgrp)
            || !ulong.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var startTime))
        {
            return null;
        }

        return new ProcStat(fields[0][0], ppid, pgrp, startTime);
    }

    /// <summary>True while the process exists and is not a zombie (exited, waiting to be reaped).</summary>
    public static bool IsAlive(int pid) => ReadStat(pid) is { State: not 'Z' and not 'X' };

    /// <summary>Pids of every live (non-zombie) process in group <paramref name="processGroupId"/>.</summary>
    public static IReadOnlyList<int> GroupMembers(int processGroupId)
    {
        var members = new List<int>();
        foreach (var pid in ProcessIds())
        {
            if (ReadStat(pid) is { State: not 'Z' and not 'X' } stat && stat.ProcessGroupId == processGroupId)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// <paramref name="root"/> with every live process below it (by parent links) and every live member
    /// of its process group (a re-parented orphan keeps the group): the processes an upstream we spawned
    /// consists of. One pass over /proc.
    /// </summary>
    public static IReadOnlyList<int> ProcessTree(int root)
    {
        var stats = new Dictionary<int, ProcStat>();
        foreach (var pid in ProcessIds())
        {
            if (ReadStat(pid) is { State: not 'Z' and not 'X' } stat)
            {
                stats[pid] = stat;
            }
        }

        var tree = new HashSet<int>();
        var frontier = new Queue<int>();
        if (stats.ContainsKey(root))
        {
            tree.Add(root);
            frontier.Enqueue(root);
        }

        foreach (var (pid, stat) in stats)
        {
            if (stat.ProcessGroupId == root && tree.Add(pid))
            {
                frontier.Enqueue(pid);
            }
        }

        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, stat) in stats)
            {
                if (stat.ParentProcessId == parent && tree.Add(pid))
                {
                    frontier.Enqueue(pid);
                }
            }
        }

        return [.. tree];
    }

    /// <summary>The process's name as the kernel keeps it (<c>comm</c>, at most 15 characters); null once it is gone.</summary>
    public static string? CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Pids of the live (non-zombie) direct children of <paramref name="parentPid"/>.</summary>
    public static IReadOnlyList<int> Children(int parentPid)
    {
        var children = new List<int>();
        foreach (var pid in ProcessIds())
        {
            if (ReadStat(pid) is { State: not 'Z' and not 'X' } stat && stat.ParentProcessId == parentPid)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    private static IEnumerable<int> ProcessIds()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }
}
