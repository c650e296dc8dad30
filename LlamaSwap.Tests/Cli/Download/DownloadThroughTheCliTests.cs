namespace LlamaSwap.Tests.Cli.Download;

/// <summary><c>llamaswap download</c> through the built binary: the command is wired, and reads the hub from HF_ENDPOINT as huggingface-cli does.</summary>
public sealed class DownloadThroughTheCliTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("llamaswap-download-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Download_FromTheHubInHfEndpoint_WritesTheIncludedFile()
    {
        await using var hub = await FakeHub.StartAsync();
        var repo = hub.Repo("owner/Tiny-GGUF");
        var wanted = repo.Add("tiny-Q4_K_M.gguf", 300_000);
        repo.Add("tiny-Q8_0.gguf", 500_000);

        var (code, output) = await RunningCli.RunAsync(
            ["download", "owner/Tiny-GGUF", "--include", "*Q4_K_M*", "--dir", _work],
            _work,
            new Dictionary<string, string> { ["HF_ENDPOINT"] = hub.Url, ["HF_TOKEN"] = "" });

        Assert.True(code == 0, output);
        Assert.Equal(wanted.Content, File.ReadAllBytes(Path.Combine(_work, "tiny-Q4_K_M.gguf")));
        Assert.False(File.Exists(Path.Combine(_work, "tiny-Q8_0.gguf")));
    }

    [Fact]
    public async Task Download_WithoutARepository_IsAUsageError()
    {
        var (code, output) = await RunningCli.RunAsync(["download"]);
        Assert.Equal(2, code);
        Assert.Contains("which repository?", output, StringComparison.Ordinal);
    }
}
