using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>
/// A foreign process's HTTP server squatting on a model's port: answers every request, health
/// probes included, with 200 <c>IMPOSTOR</c>, and counts the connections it accepted.
/// </summary>
internal sealed class ImpostorServer : IAsyncDisposable
{
    public const string Body = "IMPOSTOR";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _connections;

    private ImpostorServer(IPAddress address, int port) => _listener = new TcpListener(address, port);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far (a request needs one; reading /proc makes none).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/> (0 = any free port) and serves until disposed.</summary>
    public static ImpostorServer Start(IPAddress address, int port = 0)
    {
        var server = new ImpostorServer(address, port);
        server._listener.Start();
        server._loop = Task.Run(server.ServeAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => AnswerAsync(connection));
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        using (connection)
        {
            var buffer = new byte[8192];
            var received = new StringBuilder();
            try
            {
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await connection.ReceiveAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var answer = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}";
                await connection.SendAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // The test ended, or the client left.
            }
        }
    }
}
