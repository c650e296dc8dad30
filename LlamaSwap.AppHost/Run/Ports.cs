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
}
