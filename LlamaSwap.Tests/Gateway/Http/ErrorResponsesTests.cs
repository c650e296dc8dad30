using System.Text.Json;
using LlamaSwap.Core.Http;

namespace LlamaSwap.Tests.Gateway.Http;

public sealed class ErrorResponsesTests
{
    [Theory]
    [InlineData(400, "invalid_request_error", "bad_request")]
    [InlineData(401, "authentication_error", "unauthorized")]
    [InlineData(403, "authentication_error", "forbidden")]
    [InlineData(404, "invalid_request_error", "not_found")]
    [InlineData(409, "invalid_request_error", "conflict")]
    [InlineData(413, "invalid_request_error", "invalid_request")]
    [InlineData(429, "rate_limit_error", "rate_limit_exceeded")]
    [InlineData(500, "server_error", "internal_error")]
    [InlineData(502, "server_error", "bad_gateway")]
    [InlineData(503, "server_error", "service_unavailable")]
    [InlineData(504, "server_error", "gateway_timeout")]
    public void Json_TypeAndCode_ByStatus(int status, string type, string code)
    {
        var payload = ErrorResponses.Format(status, "boom", accept: "application/json");

        Assert.Equal("application/json", payload.ContentType);
        Assert.Equal(
            $$$"""{"src":"llama-swap","error":{"message":"boom","type":"{{{type}}}","param":null,"code":"{{{code}}}"}}""",
            payload.Body);
    }

    [Fact]
    public void Json_IsTheDefault_WithoutAccept()
    {
        var payload = ErrorResponses.Format(404, "no router for requested model", accept: null);
        using var document = JsonDocument.Parse(payload.Body);
        Assert.Equal("llama-swap", document.RootElement.GetProperty("src").GetString());
        Assert.Equal("no router for requested model", document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void PlainText_WhenAccepted()
    {
        var payload = ErrorResponses.Format(404, "model not found", "text/plain, */*");
        Assert.StartsWith("text/plain", payload.ContentType);
        Assert.Equal("llama-swap: model not found", payload.Body);
    }

    [Fact]
    public void Html_IsEscaped()
    {
        var payload = ErrorResponses.Format(500, "<b>&", "text/html,application/xhtml+xml");
        Assert.StartsWith("text/html", payload.ContentType);
        Assert.Equal("<html><body><h1>llama-swap</h1><p>&lt;b&gt;&amp;</p></body></html>", payload.Body);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html")]
    public void TooManyRequests_IsAlwaysJson(string accept)
    {
        var payload = ErrorResponses.Format(429, "Too many requests", accept, ErrorResponses.ConcurrencyLimitCode);
        Assert.Equal("application/json", payload.ContentType);
        Assert.Contains("\"code\":\"concurrency_limit\"", payload.Body);
        Assert.Contains("\"type\":\"rate_limit_error\"", payload.Body);
    }
}
