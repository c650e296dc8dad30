using System.Globalization;
using System.Net;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Reads the listening TCP sockets from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> (proc(5)):
/// the fallback of <see cref="ListeningSockets"/> where netlink (<see cref="SockDiag"/>) is not allowed.
/// </summary>
internal static class ProcNetTcp
{
    private const string ListenState = "0A";
    private const string SynReceivedState = "03";

    /// <summary>Every listening socket; null when neither table can be read (no /proc).</summary>
    /// <remarks>
    /// The kernel lists the listening sockets first, then every connection (TIME_WAIT included), and
    /// produces the text only as it is read: reading stops where the connections begin. It still
    /// walks its connection hash up to the first entry, all of it when there are few (milliseconds).
    /// Old kernels listed a listener's half-open requests (SYN_RECV) right after it, so those do not
    /// end the listening part.
    /// </remarks>
    public static IReadOnlyList<ListeningSocket>? ReadListeners()
    {
        var listeners = new List<ListeningSocket>();
        var readAny = false;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                using var reader = new StreamReader(table, new FileStreamOptions { BufferSize = 4096 });
                readAny = true;
                reader.ReadLine();
                while (reader.ReadLine() is { } line)
                {
                    var state = StateOf(line);
                    if (state == ListenState)
                    {
                        if (Parse(line) is { } listener)
                        {
                            listeners.Add(listener);
                        }
                    }
                    else if (state != SynReceivedState)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // tcp6 is absent when IPv6 is disabled; the other table still counts.
            }
        }

        return readAny ? listeners : null;
    }

    /// <summary>The 4th field (st), without splitting the whole line.</summary>
    private static string? StateOf(string line)
    {
        var fields = line.AsSpan().TrimStart();
        for (var skip = 0; skip < 3; skip++)
        {
            var gap = fields.IndexOf(' ');
            if (gap < 0)
            {
                return null;
            }

            fields = fields[gap..].TrimStart();
        }

        var end = fields.IndexOf(' ');
        return (end < 0 ? fields : fields[..end]).ToString();
    }

    /// <summary>A table line as a listener; null for a header, a malformed line or a socket not in LISTEN.</summary>
    internal static ListeningSocket? Parse(string line)
    {
        // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[3] != ListenState)
        {
            return null;
        }

        var colon = fields[1].IndexOf(':', StringComparison.Ordinal);
        if (colon < 0
            || ParseAddress(fields[1].AsSpan(0, colon)) is not { } address
            || !int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
            || !int.TryParse(fields[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid)
            || !ulong.TryParse(fields[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode)
            || inode == 0)
        {
            return null;
        }

        return new ListeningSocket(new IPEndPoint(address, port), uid, inode);
    }

    /// <summary>
    /// The kernel prints an address as 32-bit words in host byte order (<c>%08X</c> each), so the
    /// bytes of each word as this machine stores it are the address's bytes in network order.
    /// </summary>
    private static IPAddress? ParseAddress(ReadOnlySpan<char> hex)
    {
        if (hex.Length is not (8 or 32))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.Slice(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        return new IPAddress(bytes);
    }
}
