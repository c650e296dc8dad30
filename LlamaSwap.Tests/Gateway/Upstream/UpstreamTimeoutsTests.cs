using System.Net;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Forwarding;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.TestUpstream;

namespace LlamaSwap.Tests.Gateway.Upstream;

/// <summary>Per-model <c>timeouts</c> for local upstreams (reference 1.4).</summary>
public sealed class UpstreamTimeoutsTests
{
    [Fact]
    public async Task ResponseHeaderTimeout_SlowHeaders_Returns502()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel(m => m with
        {
            Timeouts = new UpstreamTimeouts { ResponseHeaderSeconds = 1 },
        }));
        UpstreamTestConfig.LeaseOn(harness.Supervisor, upstream.BaseAddress);

        using var response = await harness.Client.GetAsync("/upstream/m/v1/models?wait=4000");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("timeout awaiting response headers", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultTimeouts_NoResponseHeaderLimit_WaitsForSlowHeaders()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel());
        UpstreamTestConfig.LeaseOn(harness.Supervisor, upstream.BaseAddress);

        using var response = await harness.Client.GetAsync("/upstream/m/v1/models?wait=1500");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Invoker_IsSharedPerDistinctTimeoutSet()
    {
        using var invokers = new UpstreamInvoker();
        var a = GatewayHarness.Model("a", "http://127.0.0.1:1");
        var b = GatewayHarness.Model("b", "http://127.0.0.1:2");
        var slow = GatewayHarness.Model("slow", "http://127.0.0.1:3") with { Timeouts = new UpstreamTimeouts { ConnectSeconds = 120 } };

        Assert.Same(invokers.For(a), invokers.For(b));
        Assert.Same(invokers.Invoker, invokers.For(a));
        Assert.NotSame(invokers.For(a), invokers.For(slow));
        Assert.Equal(2, invokers.PoolCount);
    }
}
