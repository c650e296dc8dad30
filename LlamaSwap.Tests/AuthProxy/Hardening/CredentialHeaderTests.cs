using System.Text;
using LlamaSwap.AuthProxy.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

public sealed class CredentialHeaderTests
{
    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private static int? Problem(StringValues authorization = default, StringValues apiKey = default)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (authorization.Count > 0)
        {
            headers.Authorization = authorization;
        }

        if (apiKey.Count > 0)
        {
            headers["x-api-key"] = apiKey;
        }

        return ApiKeyExtractor.FindProblem(headers)?.StatusCode;
    }

    [Theory]
    [InlineData("Bearer k", null)]
    [InlineData("bearer k", "k")]
    [InlineData(null, "k")]
    [InlineData("Bearer ", "k")]
    [InlineData("Token x", "k")]
    [InlineData(null, null)]
    public void Unambiguous_HasNoProblem(string? authorization, string? apiKey)
        => Assert.Null(Problem(authorization, apiKey));

    [Fact]
    public void BasicWithTheSameKeyAsTheHeader_HasNoProblem() => Assert.Null(Problem(Basic("u:k"), "k"));

    [Fact]
    public void BasicWithEmptyPassword_AndApiKey_HasNoProblem() => Assert.Null(Problem(Basic("u:"), "k"));

    [Fact]
    public void TwoAuthorizationHeaders_Are400() => Assert.Equal(400, Problem(new StringValues(["Bearer a", "Bearer a"])));

    [Fact]
    public void TwoApiKeyHeaders_Are400() => Assert.Equal(400, Problem(apiKey: new StringValues(["a", "b"])));

    [Fact]
    public void BearerAndApiKeyDisagree_Is400() => Assert.Equal(400, Problem("Bearer a", "b"));

    [Fact]
    public void BasicAndApiKeyDisagree_Is400() => Assert.Equal(400, Problem(Basic("u:a"), "b"));

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic dXNlcg==")]
    public void MalformedBasic_Is401(string authorization) => Assert.Equal(401, Problem(authorization));
}
