using System.Text;
using LlamaSwap.AuthProxy.Keys;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.AuthProxy;

public sealed class ApiKeyExtractorTests
{
    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private static string? Extract(string? authorization = null, string? apiKey = null)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (authorization is not null)
        {
            headers.Authorization = authorization;
        }

        if (apiKey is not null)
        {
            headers["x-api-key"] = apiKey;
        }

        return ApiKeyExtractor.Extract(headers);
    }

    [Fact]
    public void BasicPassword_AnyUser() => Assert.Equal("k1", Extract(Basic("anyone:k1")));

    [Fact]
    public void BasicPassword_MayContainColons() => Assert.Equal("a:b", Extract(Basic("u:a:b")));

    [Theory]
    [InlineData("Bearer k2")]
    [InlineData("bearer k2")]
    [InlineData("BEARER   k2 ")]
    public void Bearer_SchemeIsCaseInsensitive(string header) => Assert.Equal("k2", Extract(header));

    [Fact]
    public void ApiKeyHeader_Alone() => Assert.Equal("k3", Extract(apiKey: "k3"));

    [Fact]
    public void Authorization_WinsOverApiKeyHeader() => Assert.Equal("k2", Extract("Bearer k2", "k3"));

    [Fact]
    public void EmptyBasicPassword_FallsThroughToApiKeyHeader() => Assert.Equal("k3", Extract(Basic("user:"), "k3"));

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Bearer ")]
    [InlineData("Token k")]
    public void Unusable_Authorization_WithoutApiKey_IsNone(string header) => Assert.Null(Extract(header));

    [Fact]
    public void Nothing_IsNone() => Assert.Null(Extract());
}
