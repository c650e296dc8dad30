namespace LlamaSwap.Gateway.Forwarding;

/// <summary>Recognises an HTTP/1.1 websocket upgrade the way llama-swap does (reference 3.11).</summary>
internal static class WebSocketUpgrade
{
    /// <summary><c>Connection</c> has the token <c>upgrade</c> and <c>Upgrade</c> mentions <c>websocket</c>, case-insensitively.</summary>
    public static bool IsRequested(HttpRequest request)
    {
        var upgradeToken = false;
        foreach (var value in request.Headers.Connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                upgradeToken |= token.Equals("upgrade", StringComparison.OrdinalIgnoreCase);
            }
        }

        return upgradeToken
            && request.Headers.Upgrade.Any(v => v?.Contains("websocket", StringComparison.OrdinalIgnoreCase) == true);
    }
}
