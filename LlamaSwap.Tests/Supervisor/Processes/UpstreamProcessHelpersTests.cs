using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class UpstreamProcessHelpersTests
{
    [Theory]
    [InlineData(120_000, "2m0s")]
    [InlineData(15_000, "15s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(500, "500ms")]
    [InlineData(0, "0s")]
    public void FormatGoDuration_FormatsLikeGo(int milliseconds, string expected) =>
        Assert.Equal(expected, UpstreamProcess.FormatGoDuration(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("http://127.0.0.1:5800", "/health", "http://127.0.0.1:5800/health")]
    [InlineData("http://127.0.0.1:5800/", "health", "http://127.0.0.1:5800/health")]
    [InlineData("http://127.0.0.1:5800/prefix/", "/health?full=1", "http://127.0.0.1:5800/prefix/health?full=1")]
    public void HealthUrl_JoinsProxyAndEndpointWithOneSlash(string proxy, string endpoint, string expected) =>
        Assert.Equal(new Uri(expected), UpstreamProcess.HealthUrl(new Uri(proxy), endpoint));

    [Fact]
    public void FormatCommand_QuotesWordsWithSpaces() =>
        Assert.Equal("llama-server -m '/models/my model.gguf' --port 5800",
            UpstreamProcess.FormatCommand(["llama-server", "-m", "/models/my model.gguf", "--port", "5800"]));
}
