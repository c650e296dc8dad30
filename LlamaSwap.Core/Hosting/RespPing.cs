using System.Net.Sockets;
using System.Text;

namespace LlamaSwap.Core.Hosting;

/// <summary>A raw RESP <c>PING</c>: no client library needed just to learn that Redis is up.</summary>
public static class RespPing
{
    private static readonly byte[] Ping = "PING\r\n"u8.ToArray();

    /// <summary>True when a server at the endpoint answers <c>+PONG</c>, or an error such as <c>-NOAUTH</c>: either way a Redis is listening.</summary>
    public static async Task<bool> TryPingAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeoutCts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Ping, timeoutCts.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeoutCts.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith('-');
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The first <c>host:port</c> of a StackExchange.Redis-style connection string (default port 6379).</summary>
    public static (string Host, int Port)? FirstEndpoint(string connectionString)
    {
        var first = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(part => !part.Contains('=', StringComparison.Ordinal));
        if (first is null)
        {
            return null;
        }

        var colon = first.LastIndexOf(':');
        if (colon < 0)
        {
            return (first, 6379);
        }

        return int.TryParse(first[(colon + 1)..], out var port) ? (first[..colon].Trim('[', ']'), port) : null;
    }
}
