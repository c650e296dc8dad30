using LlamaSwap.Cli.Download;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary><c>--include</c> matches repository paths as huggingface-cli's does (fnmatch).</summary>
public sealed class PathGlobTests
{
    [Theory]
    [InlineData("*Q4_K_M*", "model-Q4_K_M.gguf", true)]
    [InlineData("*Q4_K_M*", "Q4_K_M/model-Q4_K_M-00001-of-00002.gguf", true)] // * crosses '/'
    [InlineData("*Q4_K_M*", "model-Q4_K_S.gguf", false)]
    [InlineData("**/*.gguf", "sub/dir/x.gguf", true)]
    [InlineData("*.gguf", "sub/x.gguf", true)]
    [InlineData("model-Q?_0.gguf", "model-Q8_0.gguf", true)]
    [InlineData("model-Q?_0.gguf", "model-Q80_0.gguf", false)]
    [InlineData("*q4_k_m*", "model-Q4_K_M.gguf", false)]                         // case-sensitive
    [InlineData("model-Q[48]_0.gguf", "model-Q4_0.gguf", true)]
    [InlineData("model-Q[!48]_0.gguf", "model-Q4_0.gguf", false)]
    [InlineData("model-Q[!48]_0.gguf", "model-Q5_0.gguf", true)]
    [InlineData("a[.gguf", "a[.gguf", true)]                                    // unclosed '[' is literal
    [InlineData("BF16/", "BF16/x-00001-of-00002.gguf", true)]                   // a folder means its content
    [InlineData("BF16/", "BF16", false)]
    [InlineData("model.gguf", "model.gguf", true)]
    [InlineData("model.gguf", "modelxgguf", false)]                             // '.' is not a wildcard
    [InlineData("gpt-oss-120b-mxfp4-*.gguf", "gpt-oss-120b-mxfp4-00002-of-00003.gguf", true)]
    public void IsMatch(string pattern, string path, bool expected) => Assert.Equal(expected, PathGlob.Parse(pattern).IsMatch(path));

    [Fact]
    public void AnyMatch_NoGlobs_MatchesEverything() => Assert.True(PathGlob.AnyMatch([], "anything/at/all"));
}
