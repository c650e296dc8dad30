using System.Globalization;
using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// Where a proxied request's time went, on every response from a local model: the supervisor's queue
/// wait and model load, and the gateway's own share (arrival to the upstream request being sent,
/// less those two). Milliseconds, invariant, up to 3 decimals.
/// </summary>
internal static class ProxyTimingHeaders
{
    public const string QueueWait = "X-LlamaSwap-Queue-Wait-Ms";
    public const string Load = "X-LlamaSwap-Load-Ms";
    public const string Proxy = "X-LlamaSwap-Proxy-Ms";

    /// <summary>Adds the headers when the request holds a lease and was sent; a no-op otherwise (peers, unleased websockets).</summary>
    public static void Set(IHeaderDictionary headers, InflightRequest? request)
    {
        if (request is null || request.QueueWaitMs < 0 || request.SentTimestamp == 0)
        {
            return;
        }

        var queue = request.QueueWaitMs;
        var load = Math.Max(0, request.LoadMs);
        var proxy = Math.Max(0, request.MsSinceStart(request.SentTimestamp) - queue - load);
        headers[QueueWait] = Format(queue);
        headers[Load] = Format(load);
        headers[Proxy] = Format(proxy);
    }

    private static string Format(double ms) => Math.Round(ms, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
