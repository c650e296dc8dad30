using System.Globalization;
using System.Net;
using System.Text;

namespace LlamaSwap.Gateway.Logs;

/// <summary>
/// The parts of llama-swap's per-request access line (reference section 2):
/// <c>Request &lt;clientIP&gt; "&lt;METHOD&gt; &lt;PATH&gt; &lt;PROTO&gt;" &lt;status&gt; &lt;bytes&gt; "&lt;UA&gt;" &lt;duration&gt;</c>.
/// </summary>
internal static class AccessLogLine
{
    /// <summary>
    /// llama-swap's skips (<c>/wol-health</c>, <c>/api/performance</c>, <c>/metrics</c>, as prefixes),
    /// plus the liveness probes <c>/health</c> and <c>/alive</c>: docker-compose polls them every few
    /// seconds, and their lines would push everything else out of the proxy log's history.
    /// </summary>
    public static bool IsSkipped(PathString path) =>
        path.Value is { } value
            && (value.StartsWith("/wol-health", StringComparison.Ordinal)
                || value.StartsWith("/api/performance", StringComparison.Ordinal)
                || value.StartsWith("/metrics", StringComparison.Ordinal)
                || value is "/health" or "/alive");

    /// <summary>
    /// The client as llama-swap names it (first <c>X-Forwarded-For</c>, else <c>X-Real-IP</c>, else the
    /// peer), but the headers count only when the request came from a hop we trust: a loopback peer
    /// (the auth proxy or a local reverse proxy) or one carrying the auth proxy's verified key claim.
    /// From there the <c>X-Forwarded-For</c> list is read right to left, each trusted (loopback) hop
    /// handing over to the address before it, so the answer is the nearest address no trusted hop
    /// vouches past: a remote client cannot name itself by sending the header, through the auth
    /// proxy (which appends its peer) or directly.
    /// </summary>
    public static string ClientIp(IPAddress? peer, bool vouchedByAuthProxy, string? forwardedFor, string? realIp)
    {
        var direct = peer is { IsIPv4MappedToIPv6: true } ? peer.MapToIPv4() : peer;
        var remote = direct?.ToString() ?? "";
        var trusted = vouchedByAuthProxy || (direct is not null && IPAddress.IsLoopback(direct));
        if (!trusted)
        {
            return remote;
        }

        if (!string.IsNullOrWhiteSpace(forwardedFor))
        {
            var hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (i == 0 || !IPAddress.TryParse(hops[i], out var hop) || !IPAddress.IsLoopback(hop))
                {
                    return hops[i];
                }
            }
        }

        return string.IsNullOrWhiteSpace(realIp) ? remote : realIp.Trim();
    }

    /// <summary>The message (the proxy log adds <c>[INFO] </c> and the time as configured).</summary>
    public static string Message(string clientIp, string method, string path, string protocol, int status, long bytes, string userAgent, TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"Request {clientIp} \"{method} {path} {protocol}\" {status} {bytes} \"{userAgent}\" {GoDuration(duration)}");

    /// <summary>A duration as Go's <c>time.Duration.String()</c> prints it: <c>850ns</c>, <c>12.5µs</c>, <c>1.234567ms</c>, <c>2.5s</c>, <c>1m3.25s</c>.</summary>
    public static string GoDuration(TimeSpan duration)
    {
        // TimeSpan counts 100 ns ticks; Go counts nanoseconds.
        var nanoseconds = duration.Ticks * 100;
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var negative = nanoseconds < 0;
        var u = (ulong)Math.Abs(nanoseconds);
        var text = new StringBuilder();
        if (u < 1_000_000_000)
        {
            if (u < 1_000)
            {
                text.Append(CultureInfo.InvariantCulture, $"{u}ns");
            }
            else if (u < 1_000_000)
            {
                text.Append(Fraction(u, 3)).Append("µs");
            }
            else
            {
                text.Append(Fraction(u, 6)).Append("ms");
            }
        }
        else
        {
            var minutes = u / 60_000_000_000;
            var hours = minutes / 60;
            if (hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{hours}h{minutes % 60}m");
            }
            else if (minutes > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{minutes}m");
            }

            text.Append(Fraction(u % 60_000_000_000, 9)).Append('s');
        }

        return negative ? "-" + text : text.ToString();
    }

    /// <summary><paramref name="value"/> / 10^<paramref name="digits"/> with the fraction's trailing zeros (and a bare point) dropped.</summary>
    private static string Fraction(ulong value, int digits)
    {
        var scale = 1UL;
        for (var i = 0; i < digits; i++)
        {
            scale *= 10;
        }

        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = (value % scale).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }
}
