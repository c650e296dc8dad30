using System.Globalization;
using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>
/// Where a proxied request's time went, on every response from a local model: the supervisor's queue
/// wait and model load, the gateway's own share (arrival to the upstream request being sent, less
/// those two) and, once the upstream answered, the upstream's time to its response headers. The four
/// add up to the time from the request's arrival at the gateway to the upstream's first byte, so a
/// wait at the upstream (an accept queue behind idle connections, a slow prompt) is never hidden.
/// Milliseconds, invariant, up to 3 decimals.
/// </summary>
internal static class ProxyTimingHeaders
{
    public const string QueueWait = "X-LlamaSwap-Queue-Wait-Ms";
    public const string Load = "X-LlamaSwap-Load-Ms";
    public const string Proxy = "X-LlamaSwap-Proxy-Ms";
    public const string Upstream = "X-LlamaSwap-Upstream-Ms";

    /// <summary>
    /// Adds the headers when the request holds a lease and was sent; a no-op otherwise (peers,
    /// unleased websockets). <paramref name="upstreamAnswered"/>: the upstream's response headers have
    /// just arrived, so its time to first byte is known (not on the Anthropic translation, whose
    /// headers go out before the upstream call).
    /// </summary>
    public static void Set(IHeaderDictionary headers, InflightRequest? request, bool upstreamAnswered)
    {
        if (request is null || request.QueueWaitMs < 0 || request.SentTimestamp == 0)
        {
            return;
        }

        var queue = request.QueueWaitMs;
        var load = Math.Max(0, request.LoadMs);
        var sent = request.MsSinceStart(request.SentTimestamp);
        headers[QueueWait] = Format(queue);
        headers[Load] = Format(load);
        headers[Proxy] = Format(Math.Max(0, sent - queue - load));
        if (upstreamAnswered)
        {
            headers[Upstream] = Format(Math.Max(0, request.MsSinceStart(request.Now) - sent));
        }
    }

    private static string Format(double ms) => Math.Round(ms, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
