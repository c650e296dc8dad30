using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>
/// Health probes never hold an upstream's connections. llama-server (b4750) serves HTTP on
/// max(parallel + 2, cores - 1) threads, one kept-alive connection per thread: probe connections
/// left idle in a pool starved the first forwarded request for the upstream's 5 s keep-alive timeout.
/// </summary>
public sealed class HealthProbeConnectionTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task StartAsync_ClosesEveryProbeConnection_SoAOneThreadUpstreamAnswersTheFirstRequestAtOnce()
    {
        // One worker, keep-alive by default, 503 "loading" for the first probes: a miniature llama-server.
        await using var upstream = OneThreadHttpServer.Start(unhealthyProbes: 3);
        var process = _harness.Create(new ProcessSpec
        {
            ModelId = "m1",
            Command = ["sleep", "60"],
            Proxy = new Uri($"http://127.0.0.1:{upstream.Port}"),
            CheckEndpoint = "/health",
            HealthCheckTimeout = TimeSpan.FromSeconds(10),
        });

        await process.StartAsync(CancellationToken.None);

        var firstRequest = Stopwatch.StartNew();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync($"http://127.0.0.1:{upstream.Port}/v1/models");
        firstRequest.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(
            firstRequest.Elapsed < TimeSpan.FromMilliseconds(500),
            $"the first request after the health check waited {firstRequest.Elapsed.TotalMilliseconds:0} ms behind a probe connection");
        Assert.True(upstream.ConnectionsAccepted >= 5, $"{upstream.ConnectionsAccepted} connections for 4 probes and a request: probe connections were reused");
    }

    /// <summary>An HTTP/1.1 server with one worker: it serves one connection until the client closes it, as a cpp-httplib thread does.</summary>
    private sealed class OneThreadHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly int _unhealthyProbes;
        private int _probes;
        private int _accepted;
        private Task _loop = Task.CompletedTask;

        private OneThreadHttpServer(int unhealthyProbes) => _unhealthyProbes = unhealthyProbes;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int ConnectionsAccepted => Volatile.Read(ref _accepted);

        public static OneThreadHttpServer Start(int unhealthyProbes)
        {
            var server = new OneThreadHttpServer(unhealthyProbes);
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

                Interlocked.Increment(ref _accepted);
                using (connection)
                {
                    await ServeConnectionAsync(connection);
                }
            }
        }

        private async Task ServeConnectionAsync(Socket connection)
        {
            var buffer = new byte[8192];
            var pending = new StringBuilder();
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);

            // llama-server's keep-alive timeout: an idle connection holds the only worker this long.
            idle.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                while (true)
                {
                    var read = await connection.ReceiveAsync(buffer, idle.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    var text = pending.ToString();
                    var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0)
                    {
                        continue;
                    }

                    pending.Remove(0, end + 4);
                    var status = text.StartsWith("GET /health", StringComparison.Ordinal) && Interlocked.Increment(ref _probes) <= _unhealthyProbes
                        ? "503 Service Unavailable"
                        : "200 OK";
                    var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}");
                    await connection.SendAsync(answer, idle.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // The keep-alive timeout (or the end of the test): the worker is free again.
            }
        }
    }
}
