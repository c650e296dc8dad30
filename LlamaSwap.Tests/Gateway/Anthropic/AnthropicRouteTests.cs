using LlamaSwap.Gateway.Anthropic;

namespace LlamaSwap.Tests.Gateway.Anthropic;

public sealed class AnthropicRouteTests
{
    [Theory]
    [InlineData("/v1/messages", "Messages")]
    [InlineData("/v/messages", "Messages")]
    [InlineData("/v1/messages/count_tokens", "CountTokens")]
    [InlineData("/v/messages/count_tokens", "CountTokens")]
    [InlineData("/v1/chat/completions", "None")]
    [InlineData(null, "None")]
    public void Match_RecognisesMessagesRoutes(string? path, string expected)
        => Assert.Equal(Enum.Parse<AnthropicEndpoint>(expected), AnthropicRoute.Match(path));

    [Theory]
    [InlineData("/v1/messages", "/v1/chat/completions")]
    [InlineData("/v/messages", "/chat/completions")]
    public void ChatCompletionsPath_KeepsTheVersionlessForm(string path, string expected)
        => Assert.Equal(expected, AnthropicRoute.ChatCompletionsPath(path));
}
