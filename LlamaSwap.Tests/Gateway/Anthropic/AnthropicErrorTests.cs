using LlamaSwap.Gateway.Anthropic;

namespace LlamaSwap.Tests.Gateway.Anthropic;

public sealed class AnthropicErrorTests
{
    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(422, "invalid_request_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "overloaded_error")]
    public void TypeFor_Status_MatchesAnthropicErrorTypes(int status, string type)
        => Assert.Equal(type, AnthropicError.TypeFor(status));

    [Fact]
    public void Envelope_HasAnthropicShape()
        => Assert.Equal(
            """{"type":"error","error":{"type":"api_error","message":"boom"}}""",
            AnthropicError.Envelope(500, "boom").ToJsonString());

    [Theory]
    [InlineData("""{"error":{"message":"bad prompt","type":"invalid_request_error"}}""", "bad prompt")]
    [InlineData("""{"error":"model crashed"}""", "model crashed")]
    [InlineData("plain text failure\n", "plain text failure")]
    [InlineData("", "upstream answered 500")]
    public void MessageFromUpstream_FindsTheMessage(string body, string expected)
        => Assert.Equal(expected, AnthropicError.MessageFromUpstream(500, body));
}
