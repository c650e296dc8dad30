using System.Net;
using System.Net.Sockets;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Loopback ports that are free right now (the OS picks them).</summary>
internal static class FreePorts
{
    // Blocks come from below the kernel's ephemeral range (32768+ here), where port-0 binds of
    // parallel tests and outgoing connections never land between our check and the upstream's bind.
    private const int BlockRangeStart = 15000;
    private const int BlockRangeEnd = 32000;

    private static int s_nextBlock = BlockRangeStart + (Environment.ProcessId % 100) * 100;

    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A run of <paramref name="count"/> consecutive free ports (for a config's <c>startPort</c>).</summary>
    public static int Block(int count)
    {
        while (true)
        {
            var start = Interlocked.Add(ref s_nextBlock, count + 5) - count - 5;
            if (start + count > BlockRangeEnd)
            {
                Interlocked.Exchange(ref s_nextBlock, BlockRangeStart);
                continue;
            }

            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
