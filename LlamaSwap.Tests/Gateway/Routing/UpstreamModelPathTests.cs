using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class UpstreamModelPathTests
{
    // "author" and "author/model" both exist, so the longest-match rule is what decides.
    private static readonly LlamaSwapConfig Config = WithShortPrefixModel();

    private static LlamaSwapConfig WithShortPrefixModel()
    {
        var config = GatewayHarness.DefaultConfig("http://127.0.0.1:1");
        var models = new Dictionary<string, ModelConfig>(config.Models) { ["author"] = GatewayHarness.Model("author", "http://127.0.0.1:1") };
        return config with { Models = models };
    }

    [Fact]
    public void LongestPrefix_Wins()
    {
        var target = UpstreamModelPath.Resolve(Config, "/upstream/author/model/v1/chat", null);

        Assert.NotNull(target);
        Assert.Equal("author/model", target.ModelId);
        Assert.Equal("/v1/chat", target.Remainder);
        Assert.Equal("/upstream/author/model", target.RawModelPath);
    }

    [Fact]
    public void ShorterId_IsUsedWhenLongerDoesNotMatch()
    {
        var target = UpstreamModelPath.Resolve(Config, "/upstream/author/other/x", null);
        Assert.Equal("author", target!.ModelId);
        Assert.Equal("/other/x", target.Remainder);
    }

    [Fact]
    public void Alias_ResolvesToRealId()
    {
        var target = UpstreamModelPath.Resolve(Config, "/upstream/gpt-4o-mini/health", null);
        Assert.Equal("llama", target!.ModelId);
        Assert.Equal("gpt-4o-mini", target.RequestedName);
    }

    [Theory]
    [InlineData("/upstream/llama", "")]
    [InlineData("/upstream/llama/", "/")]
    public void BareAndTrailingSlash_Remainders(string path, string remainder)
        => Assert.Equal(remainder, UpstreamModelPath.Resolve(Config, path, null)!.Remainder);

    [Fact]
    public void RawPath_KeepsPercentEncoding()
    {
        var target = UpstreamModelPath.Resolve(Config, "/upstream/llama/files/a%2Fb c", "/upstream/llama/files/a%2Fb%20c");
        Assert.Equal("/files/a%2Fb%20c", target!.Remainder);
    }

    [Theory]
    [InlineData("/upstream/unknown/v1")]
    [InlineData("/upstream/")]
    public void Unknown_IsNull(string path) => Assert.Null(UpstreamModelPath.Resolve(Config, path, null));
}
