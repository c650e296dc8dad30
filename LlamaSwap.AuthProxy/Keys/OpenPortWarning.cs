using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LlamaSwap.AuthProxy.Keys;

/// <summary>
/// Says loudly, once the proxy listens and after every reload that leaves it so, that the front door
/// has no key: every request is let through, which on a public port is rarely what was meant (a
/// keys file looked for in the wrong directory once left it so without a word).
/// </summary>
internal sealed partial class OpenPortWarning(IServer server, ILogger<OpenPortWarning> logger)
{
    public void WarnIfOpen(ApiKeySet keys)
    {
        if (!keys.IsOpen)
        {
            return;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Log.Open(logger, addresses.Count == 0 ? "(not bound yet)" : string.Join(", ", addresses.Select(HostAndPort)));
    }

    private static string HostAndPort(string address)
        => Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Authority : address;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1622, Level = LogLevel.Warning, Message = "The public port {Addresses} is OPEN: no API keys configured; anyone who can reach it can use every model. Add apiKeys to the config, a config.json next to it, or API_KEYS.")]
        public static partial void Open(ILogger logger, string addresses);
    }
}
