using System.Net.WebSockets;

namespace LlamaSwap.TestUpstream;

/// <summary><c>GET /ws</c>: echoes every websocket message back, so tests can prove an upgrade was proxied.</summary>
internal static class WebSocketEcho
{
    public const string Path = "/ws";

    public static async Task RunAsync(HttpContext context, CancellationToken stopping)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, stopping);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stopping);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, stopping);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Shutdown or a client that vanished: nothing left to echo to.
        }
    }
}
