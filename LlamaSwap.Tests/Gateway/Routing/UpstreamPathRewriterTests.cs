using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class UpstreamPathRewriterTests
{
    [Theory]
    [InlineData("/v/chat/completions", "/chat/completions")]
    [InlineData("/v/messages/count_tokens", "/messages/count_tokens")]
    [InlineData("/audioapi/v1/tasks/run", "/v1/tasks/run")]
    [InlineData("/v1/chat/completions", "/v1/chat/completions")]
    [InlineData("/completion", "/completion")]
    [InlineData("/v1/audio/voices", "/v1/audio/voices")]
    public void Rewrite_MapsVersionlessAndAudioApiPrefixes(string path, string expected)
        => Assert.Equal(expected, UpstreamPathRewriter.Rewrite(path));
}
