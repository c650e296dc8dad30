using System.Net;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Peers;

/// <summary>Peer records in <c>GET /v1/models</c> (reference 2.2).</summary>
public sealed class PeerModelListingTests
{
    [Fact]
    public async Task ModelsList_OneUnloadedRecordPerFqn_SortedWithLocalModels()
    {
        var peers = new PeerSet(
        [
            new PeerConfig { Id = "openrouter", Proxy = new Uri("https://openrouter.ai/api"), Models = ["z-ai/glm", "deepseek/v3"] },
            new PeerConfig { Id = "box", Proxy = new Uri("http://10.0.0.2"), Models = ["model_a"] },
        ]);
        await using var harness = await GatewayHarness.StartAsync(
            url => GatewayHarness.DefaultConfig(url) with { IncludeAliasesInList = false, Peers = peers }, store: new ThrowingStateStore());

        using var response = await harness.Client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = body.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            ["author/model", "box/model_a", "llama", "openrouter/deepseek/v3", "openrouter/z-ai/glm", "qwen"],
            data.Select(d => d.GetProperty("id").GetString()));

        var glm = data[4];
        Assert.Equal("openrouter: z-ai/glm", glm.GetProperty("name").GetString());
        Assert.Equal("unloaded", glm.GetProperty("status").GetProperty("value").GetString());
        Assert.Equal("model", glm.GetProperty("object").GetString());
        var meta = glm.GetProperty("meta").GetProperty("llamaswap");
        Assert.Equal("peer", meta.GetProperty("type").GetString());
        Assert.Equal("openrouter", meta.GetProperty("peerID").GetString());
        Assert.Equal(2, meta.EnumerateObject().Count());
    }
}
