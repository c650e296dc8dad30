using Microsoft.Extensions.Primitives;

namespace LlamaSwap.Gateway.Peers;

/// <summary>
/// The gateways a request went through on its way to a peer: each adds its own random id to
/// <see cref="Header"/> when it forwards to a peer, and refuses a request that names it already.
/// </summary>
internal sealed class PeerHops
{
    public const string Header = "X-LlamaSwap-Via";

    /// <summary>More gateways than any sane chain of peers has: a loop through LlamaSwaps this one cannot recognise.</summary>
    public const int MaxHops = 8;

    /// <summary>This gateway process, as it names itself in <see cref="Header"/>.</summary>
    public string Self { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Why the request must be refused, or null.</summary>
    public string? Problem(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(Header, out var values))
        {
            return null;
        }

        var hops = Hops(values);
        if (hops.Contains(Self, StringComparer.Ordinal))
        {
            return "request loop detected: this request already passed through this gateway (a peer's proxy leads back to it)";
        }

        return hops.Count >= MaxHops ? $"request loop detected: the request passed through {hops.Count} gateways" : null;
    }

    /// <summary>The header value to send on: the hops so far and this gateway.</summary>
    public string Next(IHeaderDictionary headers)
        => headers.TryGetValue(Header, out var values) ? string.Join(", ", [.. Hops(values), Self]) : Self;

    private static List<string> Hops(StringValues values)
        => [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
