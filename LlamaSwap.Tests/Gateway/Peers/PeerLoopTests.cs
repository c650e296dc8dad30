using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Peers;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Peers;

/// <summary>A peer whose proxy leads back to the gateway: refused with 508 on the second arrival, not looped until the gateway dies.</summary>
public sealed class PeerLoopTests
{
    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/upstream/self/loop/v1/chat/completions")]
    public async Task PeerPointingAtTheGatewayItself_Is508_AfterOneHop(string path)
    {
        var port = FreePorts.Next();
        var self = new PeerConfig { Id = "self", Proxy = new Uri($"http://127.0.0.1:{port}"), Models = ["loop"] };
        await using var harness = await GatewayHarness.StartAsync(
            url => GatewayHarness.DefaultConfig(url) with { Peers = new PeerSet([self]) },
            extraArgs: ["--urls", $"http://127.0.0.1:{port}"]);

        using var response = await harness.Client.PostAsync(path, new StringContent("""{"model":"self/loop"}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        // The inner 508 comes back through the peer hop unchanged.
        Assert.Equal(HttpStatusCode.LoopDetected, response.StatusCode);
        using var error = JsonDocument.Parse(body);
        Assert.Contains("request loop detected", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task TooManyHops_Is508_BeforeAnythingIsRead()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"llama"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(PeerHops.Header, string.Join(", ", Enumerable.Range(0, PeerHops.MaxHops).Select(i => $"gw{i}")));

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.LoopDetected, response.StatusCode);
        Assert.Empty(harness.Supervisor.Acquires);
    }
}
