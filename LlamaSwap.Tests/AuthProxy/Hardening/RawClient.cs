using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

/// <summary>A TCP client that sends exactly what it is told, from a chosen loopback address (Linux routes all of 127/8 to lo).</summary>
internal sealed class RawClient : IDisposable
{
    private readonly Socket _socket;

    private RawClient(Socket socket) => _socket = socket;

    public static async Task<RawClient> ConnectAsync(IPAddress from, IPEndPoint to, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(to, cancel);
            return new RawClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <returns>False once the server has closed or reset the connection.</returns>
    public async Task<bool> TrySendAsync(string text)
    {
        try
        {
            await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Reads until the server closes the connection or <paramref name="within"/> passes.</summary>
    /// <returns>Everything received and whether the server closed (or reset) the connection in time.</returns>
    public async Task<(string Received, bool Closed)> ReadUntilClosedAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    return (received.ToString(), true);
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            return (received.ToString(), true);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return (received.ToString(), false);
        }
    }

    public void Dispose() => _socket.Dispose();
}
