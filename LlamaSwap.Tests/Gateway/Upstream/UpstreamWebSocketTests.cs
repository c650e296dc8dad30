using System.Net;
using System.Net.WebSockets;
using System.Text;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.TestUpstream;

namespace LlamaSwap.Tests.Gateway.Upstream;

/// <summary>Websocket upgrades on <c>/upstream</c>, with and without <c>compat.ignoreWebsockets</c> (reference 3.11).</summary>
public sealed class UpstreamWebSocketTests
{
    private static Uri WsUri(GatewayHarness harness, string path)
        => new(harness.Url.Replace("http://", "ws://", StringComparison.Ordinal) + path);

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    [Fact]
    public async Task WithoutCompat_WebSocketAcquires_AndHoldsTheLeaseUntilClosed()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel());
        UpstreamTestConfig.LeaseOn(harness.Supervisor, upstream.BaseAddress);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(WsUri(harness, "/upstream/m/ws"), CancellationToken.None);

        Assert.Equal("hello", await EchoAsync(socket, "hello"));
        Assert.Equal("m", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Empty(harness.Supervisor.Releases);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Releases.IsEmpty, because: "the lease is released when the socket closes");
    }

    [Fact]
    public async Task IgnoreWebsockets_ModelNotReady_Returns409_WithoutAcquire()
    {
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel(m => m with { IgnoreWebsockets = true }));
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Starting, harness.Upstream.Url));

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WsUri(harness, "/upstream/m/ws"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, socket.HttpStatusCode);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task IgnoreWebsockets_ModelReady_ForwardsWithoutALease()
    {
        await using var upstream = await RunningTestUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel(m => m with { IgnoreWebsockets = true }));
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Ready, upstream.BaseAddress.ToString().TrimEnd('/')));

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(WsUri(harness, "/upstream/m/ws"), CancellationToken.None);

        Assert.Equal("ping", await EchoAsync(socket, "ping"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task IgnoreWebsockets_PlainRequest_StillAcquires()
    {
        await using var harness = await GatewayHarness.StartAsync(UpstreamTestConfig.OneModel(m => m with { IgnoreWebsockets = true }));
        harness.Supervisor.States.Add(UpstreamTestConfig.State(ModelStates.Stopped, harness.Upstream.Url));

        using var response = await harness.Client.GetAsync("/upstream/m/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(harness.Supervisor.Acquires);
    }
}
