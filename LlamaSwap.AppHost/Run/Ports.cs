using System.Net;
using System.Net.Sockets;

namespace LlamaSwap.AppHost.Run;

internal static class Ports
{
    /// <summary>A port the OS says is free on loopback now (it may be taken again before use; good enough locally).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when the port can be bound on the given address: checked up front so a busy port is a clear message, not a health timeout.</summary>
    public static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
