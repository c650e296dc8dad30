using System.Net;
using LlamaSwap.Gateway.Logs;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Logs;

public sealed class AccessLogLineTests
{
    [Fact]
    public void Message_IsLlamaSwapsFormat()
        => Assert.Equal(
            "Request 203.0.113.7 \"POST /v1/chat/completions HTTP/1.1\" 200 1234 \"curl/8.5.0\" 1.5ms",
            AccessLogLine.Message("203.0.113.7", "POST", "/v1/chat/completions", "HTTP/1.1", 200, 1234, "curl/8.5.0", TimeSpan.FromMicroseconds(1500)));

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(5L, "500ns")]
    [InlineData(15L, "1.5µs")]
    [InlineData(12_345_670L, "1.234567s")]
    [InlineData(12_345L, "1.2345ms")]
    [InlineData(10_000L, "1ms")]
    [InlineData(25_000_000L, "2.5s")]
    [InlineData(615_000_000L, "1m1.5s")]
    [InlineData(37_230_000_000L, "1h2m3s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    public void GoDuration_PrintsAsGoDoes(long ticks, string expected)
        => Assert.Equal(expected, AccessLogLine.GoDuration(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData("/wol-health", true)]
    [InlineData("/api/performance", true)]
    [InlineData("/api/performance/x", true)]
    [InlineData("/metrics", true)]
    [InlineData("/health", true)]
    [InlineData("/alive", true)]
    [InlineData("/healthz", false)]
    [InlineData("/v1/models", false)]
    [InlineData("/api/events", false)]
    [InlineData("/ui/app.js", false)]
    public void IsSkipped_LlamaSwapsPrefixesAndTheProbes(string path, bool skipped)
        => Assert.Equal(skipped, AccessLogLine.IsSkipped(new PathString(path)));

    [Fact]
    public void ClientIp_FromAnUntrustedPeer_IgnoresTheHeaders()
        => Assert.Equal("198.51.100.2", AccessLogLine.ClientIp(IPAddress.Parse("198.51.100.2"), false, "6.6.6.6", "7.7.7.7"));

    [Fact]
    public void ClientIp_ThroughTheLoopbackAuthProxy_IsTheAddressItAppended()
        // The client sent "X-Forwarded-For: 6.6.6.6"; the auth proxy appended its real peer.
        => Assert.Equal("198.51.100.9", AccessLogLine.ClientIp(IPAddress.Loopback, false, "6.6.6.6, 198.51.100.9", null));

    [Fact]
    public void ClientIp_VouchedByAKeyClaim_TrustsANonLoopbackPeer()
        => Assert.Equal("198.51.100.9", AccessLogLine.ClientIp(IPAddress.Parse("10.0.0.5"), true, "198.51.100.9", null));

    [Fact]
    public void ClientIp_PastLoopbackHops_IsTheNearestOtherAddress()
        => Assert.Equal("203.0.113.7", AccessLogLine.ClientIp(IPAddress.Loopback, false, "6.6.6.6, 203.0.113.7, 127.0.0.1", null));

    [Fact]
    public void ClientIp_AllLoopback_IsTheFirst()
        => Assert.Equal("127.0.0.1", AccessLogLine.ClientIp(IPAddress.IPv6Loopback, false, "127.0.0.1, ::1", null));

    [Fact]
    public void ClientIp_WithoutForwardedFor_IsXRealIp_ElseThePeer()
    {
        Assert.Equal("192.0.2.4", AccessLogLine.ClientIp(IPAddress.Loopback, false, "", "192.0.2.4"));
        Assert.Equal("127.0.0.1", AccessLogLine.ClientIp(IPAddress.Loopback.MapToIPv6(), false, null, null));
    }
}
