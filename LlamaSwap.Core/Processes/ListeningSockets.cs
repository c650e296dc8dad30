namespace LlamaSwap.Core.Processes;

/// <summary>The listening TCP sockets of our network namespace, as the kernel reports them (no connection is made).</summary>
public static class ListeningSockets
{
    /// <summary>
    /// Every socket listening on <paramref name="port"/>, IPv4 and IPv6; null when the kernel cannot be asked.
    /// Asks through sock_diag (a few µs, listeners only); where netlink is not allowed, reads
    /// /proc/net/tcp and tcp6 instead (milliseconds: the kernel walks its whole connection table).
    /// </summary>
    public static IReadOnlyList<ListeningSocket>? Read(int port)
    {
        var all = SockDiag.ReadListeners() ?? ProcNetTcp.ReadListeners();
        return all?.Where(listener => listener.Local.Port == port).ToList();
    }
}
