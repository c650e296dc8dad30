using System.Globalization;
using System.Net;
using LlamaSwap.Cli.CommandLine;

namespace LlamaSwap.Cli.Start;

/// <summary>
/// Where the public front door listens, written as llama-swap's <c>-listen</c> takes it:
/// <c>[host]:port</c>. No host means every interface, as in Go.
/// </summary>
internal sealed record ListenAddress(string? Host, int Port)
{
    public static ListenAddress Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"-listen must be [host]:port (for example :8080 or 127.0.0.1:8080), got '{text}'");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return new ListenAddress(host.Length == 0 ? null : host, port);
    }

    public bool IsLoopback => Host is "localhost" || (Host is not null && IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The URL Kestrel binds (no host: every IPv4 interface, as the AppHost binds the front door).</summary>
    public string BindUrl(bool tls) => $"{(tls ? "https" : "http")}://{UrlHost(Host ?? "0.0.0.0")}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The URL a local client uses to reach it.</summary>
    public string LocalUrl(bool tls)
    {
        var host = Host is null or "0.0.0.0" or "::" ? "localhost" : Host;
        return $"{(tls ? "https" : "http")}://{UrlHost(host)}:{Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string UrlHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}
