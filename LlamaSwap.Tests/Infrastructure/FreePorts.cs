using System.Net;
using System.Net.Sockets;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Loopback ports that are free right now (the OS picks them).</summary>
internal static class FreePorts
{
    private static int s_nextBlock = 20000 + (Environment.ProcessId % 200) * 50;

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
            if (start + count > 60000)
            {
                Interlocked.Exchange(ref s_nextBlock, 20000);
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
