using System.Globalization;

namespace LlamaSwap.Core.Processes;

// Which process holds a socket: the link from a socket inode (ListeningSocket) to a pid.
public static partial class ProcFs
{
    /// <summary>
    /// Inodes of the sockets <paramref name="pid"/> holds open (its <c>fd/*</c> links to <c>socket:[N]</c>);
    /// null when its descriptors cannot be read (another user's process, or gone).
    /// </summary>
    public static IReadOnlySet<ulong>? SocketInodes(int pid)
    {
        var inodes = new HashSet<ulong>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Closed between listing and reading.
                    continue;
                }

                if (target is not null
                    && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && target.EndsWith(']')
                    && ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                {
                    inodes.Add(inode);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return inodes;
    }

    /// <summary>A live process holding socket <paramref name="inode"/> among those whose descriptors we may read; null if none.</summary>
    public static int? SocketHolder(ulong inode)
    {
        foreach (var pid in ProcessIds())
        {
            if (SocketInodes(pid) is { } inodes && inodes.Contains(inode) && IsAlive(pid))
            {
                return pid;
            }
        }

        return null;
    }
}
