using System.Net;
using System.Net.Sockets;
using System.Text;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Forwarding;

/// <summary>
/// llama-server closes its connection after every streamed response although it announces
/// keep-alive, and any upstream closes idle connections after its own keep-alive timeout: a pooled
/// connection the gateway takes just as that close arrives fails before the upstream read the request
/// (seen as 502s with 32 concurrent streams to llama-server b4750). The request goes again on a new connection.
/// </summary>
public sealed class StaleConnectionTests
{
    [Fact]
    public async Task ARequestOnAConnectionTheUpstreamClosed_IsSentAgainOnANewOne()
    {
        await using var upstream = ClosesReusedConnections.Start();
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(
            Results.Json(new AcquireResponse($"lease-{Guid.NewGuid():N}", upstream.Url, 0, 0)));

        for (var i = 0; i < 5; i++)
        {
            using var response = await harness.Client.PostAsync(
                "/v1/chat/completions",
                new StringContent("""{"model":"llama","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {i + 1}: {(int)response.StatusCode} {body}");
            Assert.Equal("""{"ok":true}""", body);
        }

        // Every other request meets the pooled connection the previous one left: 2, 4 are reset and resent.
        Assert.Equal(5, upstream.RequestsServed);
        Assert.True(upstream.ConnectionsReset >= 2, $"only {upstream.ConnectionsReset} reused connections were reset: the test did not exercise a stale connection");
    }

    /// <summary>
    /// Answers the first request of each connection with keep-alive, then resets the connection when
    /// the next request arrives, without reading it: a close that races the client's reuse, made certain.
    /// </summary>
    private sealed class ClosesReusedConnections : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = [];
        private Task _accepting = Task.CompletedTask;
        private int _served;
        private int _reset;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int RequestsServed => Volatile.Read(ref _served);

        public int ConnectionsReset => Volatile.Read(ref _reset);

        public static ClosesReusedConnections Start()
        {
            var server = new ClosesReusedConnections();
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            Task[] connections;
            lock (_connections)
            {
                connections = [.. _connections];
            }

            await Task.WhenAll(connections);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                lock (_connections)
                {
                    _connections.Add(ServeAsync(socket));
                }
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using (socket)
            {
                try
                {
                    await ReadRequestAsync(socket);
                    const string json = """{"ok":true}""";
                    var response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nKeep-Alive: timeout=5, max=100\r\n"
                        + $"Content-Length: {json.Length}\r\n\r\n{json}";
                    // Counted before the answer goes out, so a client holding the answer sees the count.
                    Interlocked.Increment(ref _served);
                    await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None, _stop.Token);

                    // The next request: close with it unread, which resets the connection.
                    var buffer = new byte[1];
                    if (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
                    {
                        socket.LingerState = new LingerOption(true, 0);
                        Interlocked.Increment(ref _reset);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                {
                    // Stopped, or the client went away.
                }
            }
        }

        private async Task ReadRequestAsync(Socket socket)
        {
            var received = new List<byte>();
            var buffer = new byte[4096];
            int headerEnd;
            while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }

                received.AddRange(buffer.AsSpan(0, n));
            }

            var headers = Encoding.ASCII.GetString([.. received], 0, headerEnd);
            var lengthLine = headers.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            while (received.Count < headerEnd + 4 + length)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }

                received.AddRange(buffer.AsSpan(0, n));
            }
        }

        private static int IndexOfHeaderEnd(List<byte> bytes)
        {
            for (var i = 0; i + 3 < bytes.Count; i++)
            {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
