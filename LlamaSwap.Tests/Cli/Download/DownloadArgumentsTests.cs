using LlamaSwap.Cli.Download;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary>The command line of <c>llamaswap download</c>: what it accepts, and exit code 2 with a reason for the rest.</summary>
public sealed class DownloadArgumentsTests
{
    private const string Home = "/home/tester";

    [Fact]
    public void Parse_RepoWithRepeatedIncludesDirAndRevision()
    {
        var parsed = DownloadArguments.Parse(["o/r", "--include", "*Q4*", "--include=README.md", "--dir=~/m", "--revision", "v1"], Home, out var error);

        Assert.Null(error);
        Assert.Equal("o/r", parsed!.Repo);
        Assert.Equal(["*Q4*", "README.md"], parsed.Includes);
        Assert.Equal("/home/tester/m", parsed.Dir);
        Assert.Equal("v1", parsed.Revision);
        Assert.False(parsed.DefaultModels);
    }

    [Fact]
    public void Parse_DefaultModels_RevisionDefaultsToMain()
    {
        var parsed = DownloadArguments.Parse(["--default-models", "--dir", "/data/models"], Home, out var error);

        Assert.Null(error);
        Assert.True(parsed!.DefaultModels);
        Assert.Equal("/data/models", parsed.Dir);
        Assert.Equal("main", parsed.Revision);
    }

    [Theory]
    [InlineData(new string[0], "which repository?")]
    [InlineData(new[] { "o/r", "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "o/r", "--include" }, "--include needs a value")]
    [InlineData(new[] { "o/r", "p/q" }, "one repository at a time")]
    [InlineData(new[] { "https://huggingface.co/o/r" }, "is not a repository id")]
    [InlineData(new[] { "--default-models", "o/r" }, "--default-models takes no repository")]
    [InlineData(new[] { "--default-models", "--include", "*" }, "--default-models takes no repository, --include or --revision")]
    public void Parse_Refuses(string[] args, string message)
    {
        Assert.Null(DownloadArguments.Parse(args, Home, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UsageError_Exit2_WithTheReasonAndTheUsage()
    {
        var context = new DownloadContext { Hub = new HubSettings(new Uri("http://127.0.0.1:1"), null), ModelsRoot = "/nonexistent" };
        var result = await DownloadHarness.RunAsync(context, "o/r", "--bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("llamaswap download: unknown option '--bogus'", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: llamaswap download <owner/repo>", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_Exit0_UsageOnOutput()
    {
        var context = new DownloadContext { Hub = new HubSettings(new Uri("http://127.0.0.1:1"), null), ModelsRoot = "/nonexistent" };
        var result = await DownloadHarness.RunAsync(context, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--default-models", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSettings_EndpointAndTokenFromTheEnvironment()
    {
        var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = "https://mirror.example/hf/", ["HF_TOKEN"] = " hf_abc " };
        var settings = HubSettings.FromEnvironment(name => env.GetValueOrDefault(name), Home, out var error);

        Assert.Null(error);
        Assert.Equal(new Uri("https://mirror.example/hf"), settings.Endpoint);
        Assert.Equal("hf_abc", settings.Token);
    }

    [Fact]
    public void HubSettings_TokenFromTheLoginFile_WhenHfTokenIsUnset()
    {
        var hfHome = Directory.CreateTempSubdirectory("llamaswap-hfhome-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(hfHome, "token"), "hf_stored\n");
            var settings = HubSettings.FromEnvironment(name => name == "HF_HOME" ? hfHome : null, Home, out var error);

            Assert.Null(error);
            Assert.Equal(HubSettings.DefaultEndpoint, settings.Endpoint);
            Assert.Equal("hf_stored", settings.Token);
        }
        finally
        {
            Directory.Delete(hfHome, recursive: true);
        }
    }

    [Fact]
    public void HubSettings_BadEndpoint_Named()
    {
        HubSettings.FromEnvironment(name => name == "HF_ENDPOINT" ? "huggingface.co" : null, Home, out var error);

        Assert.Equal("HF_ENDPOINT must be an absolute http(s) URL, got 'huggingface.co'", error);
    }
}
