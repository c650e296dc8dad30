using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Logs;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Logs;

public sealed class LogsApiTests
{
    private static readonly LlamaSwapConfig Config = GatewayHarness.DefaultConfig("http://127.0.0.1:1") with
    {
        Models = new Dictionary<string, ModelConfig>(GatewayHarness.DefaultConfig("http://127.0.0.1:1").Models)
        {
            ["author"] = GatewayHarness.Model("author", "http://127.0.0.1:1"),
        },
    };

    [Fact]
    public void Find_ProxyAndUpstream_AreTheirMonitors()
    {
        var hub = new LogHub();

        Assert.Same(hub.Proxy, LogsApi.Find("proxy", hub, Config));
        Assert.Same(hub.Upstream, LogsApi.Find("upstream", hub, Config));
    }

    [Theory]
    [InlineData("author/model", "author/model")]
    [InlineData("author/model/extra/parts", "author/model")]
    [InlineData("author", "author")]
    [InlineData("author/other", "author")]
    [InlineData("gpt-4o-mini", "llama")]
    public void Find_ModelIdOrAlias_TakesTheLongestMatch(string id, string modelId)
    {
        var hub = new LogHub();

        Assert.Same(hub.ForModel(modelId), LogsApi.Find(id, hub, Config));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("nope/author")]
    public void Find_Unknown_IsNull(string id)
    {
        Assert.Null(LogsApi.Find(id, new LogHub(), Config));
    }
}
