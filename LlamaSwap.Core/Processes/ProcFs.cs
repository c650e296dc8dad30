using System.Globalization;

namespace LlamaSwap.Core.Processes;

/// <summary>Reads <c>/proc/&lt;pid&gt;/stat</c> (proc(5)) for the few fields process supervision needs.</summary>
public static class ProcFs
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
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { State: not 'Z' and not 'X' } stat
                && stat.ProcessGroupId == processGroupId)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>Pids of the live (non-zombie) direct children of <paramref name="parentPid"/>.</summary>
    public static IReadOnlyList<int> Children(int parentPid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { State: not 'Z' and not 'X' } stat
                && stat.ParentProcessId == parentPid)
            {
                children.Add(pid);
            }
        }

        return children;
    }
}
