using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class UpstreamExitTests
{
    [Theory]
    [InlineData(0, "exit code 0")]
    [InlineData(1, "exit code 1")]
    [InlineData(128, "exit code 128")]
    [InlineData(134, "killed by signal 6 (SIGABRT)")]
    [InlineData(137, "killed by signal 9 (SIGKILL)")]
    [InlineData(139, "killed by signal 11 (SIGSEGV)")]
    [InlineData(143, "killed by signal 15 (SIGTERM)")]
    [InlineData(170, "killed by signal 42")]
    [InlineData(200, "exit code 200")]
    [InlineData(-1, "exit code unknown")]
    public void Describe_NamesTheExitCodeOrTheSignal(int exitCode, string expected)
        => Assert.Equal(expected, new UpstreamExit(exitCode, []).Describe());

    [Fact]
    public void Explain_WithoutOutput_SaysOnlyHowItEnded()
        => Assert.Equal("upstream command exited prematurely (exit code 1)", new UpstreamExit(1, []).Explain("upstream command exited prematurely"));

    [Fact]
    public void Explain_WithOutput_KeepsTheMessageFirstAndTheLinesInOrder()
        => Assert.Equal(
            "upstream command exited prematurely (exit code 1); last output:\nfirst\nCUDA error: out of memory",
            new UpstreamExit(1, ["first", "CUDA error: out of memory"]).Explain("upstream command exited prematurely"));
}
