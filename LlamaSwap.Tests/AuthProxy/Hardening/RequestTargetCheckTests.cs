using LlamaSwap.AuthProxy.Hardening;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

public sealed class RequestTargetCheckTests
{
    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/health")]
    [InlineData("/upstream/org/model-2.5/v1/models?x=a.b&y=%2F")]
    [InlineData("/upstream/llama/")]
    [InlineData("/")]
    [InlineData("/ui/assets/index-abc.js")]
    [InlineData("/v1/models?q=%20ok")]
    public void Unambiguous_IsAccepted(string target) => Assert.Null(RequestTargetCheck.Problem(target));

    [Theory]
    [InlineData("//v1/models")]
    [InlineData("/v1//models")]
    [InlineData("/health/../v1/models")]
    [InlineData("/./v1/models")]
    [InlineData("/v1/models/.")]
    [InlineData("/health.")]
    [InlineData("/favicon.ico/../running")]
    [InlineData("/health%2f..%2fv1/models")]
    [InlineData("/health%2F..%2Fv1%2Fmodels")]
    [InlineData("/%2e%2e/v1/models")]
    [InlineData("/health%5c..%5cv1")]
    [InlineData("/health\\..\\v1")]
    [InlineData("/health%00")]
    [InlineData("/health%252f..")]
    [InlineData("http://evil/v1/models")]
    [InlineData("*")]
    [InlineData("")]
    public void Ambiguous_IsRefused(string target) => Assert.NotNull(RequestTargetCheck.Problem(target));
}
