using LlamaSwap.AuthProxy.Keys;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.AuthProxy;

public sealed class ApiKeyMiddlewareTests
{
    private static bool IsExempt(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        return ApiKeyMiddleware.IsExempt(context.Request);
    }

    [Theory]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/wol-health")]
    [InlineData("GET", "/alive")]
    [InlineData("OPTIONS", "/v1/chat/completions")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/upstream")]
    [InlineData("GET", "/favicon.ico")]
    public void Exempt(string method, string path) => Assert.True(IsExempt(method, path));

    [Theory]
    [InlineData("POST", "/v1/chat/completions")]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/")]
    [InlineData("GET", "/upstream/llama/")]
    [InlineData("POST", "/health")]
    [InlineData("GET", "/wol-healthz")]
    public void Protected(string method, string path) => Assert.False(IsExempt(method, path));
}
