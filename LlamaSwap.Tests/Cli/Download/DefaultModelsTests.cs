using LlamaSwap.Cli.Download;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary><c>download --default-models</c> fetches the four seed models where examples/seed-models.yaml expects them.</summary>
public sealed class DefaultModelsTests : IAsyncLifetime
{
    private DownloadHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DownloadHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task DefaultModels_EachRepositoryInItsFolder_OnlyTheIncludedQuantization()
    {
        foreach (var model in DefaultModels.All)
        {
            var repo = _harness.Hub.Repo(model.Repo);
            repo.Add(model.ModelFile, 2000);
            repo.Add("README.md", 100, lfs: false);
            repo.Add("other-Q2_K.gguf", 1000);
        }

        var result = await _harness.RunAsync("--default-models");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var model in DefaultModels.All)
        {
            var folder = model.Folder(_harness.Root);
            Assert.True(File.Exists(Path.Combine(folder, model.ModelFile)), $"{model.Name}: {model.ModelFile} in {folder}");
            Assert.False(File.Exists(Path.Combine(folder, "other-Q2_K.gguf")));
        }

        Assert.Contains($"default models complete in {_harness.Root}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultModels_OneMissing_OthersStillDownloaded_Exit1()
    {
        foreach (var model in DefaultModels.All.Skip(1))
        {
            _harness.Hub.Repo(model.Repo).Add(model.ModelFile, 1000);
        }

        var result = await _harness.RunAsync("--default-models");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{DefaultModels.All[0].Name}: repository {DefaultModels.All[0].Repo} not found", result.Error, StringComparison.Ordinal);
        Assert.Contains($"default models: 1 of 4 failed ({DefaultModels.All[0].Name})", result.Output, StringComparison.Ordinal);
        Assert.All(DefaultModels.All.Skip(1), m => Assert.True(File.Exists(Path.Combine(m.Folder(_harness.Root), m.ModelFile))));
    }

    [Fact]
    public async Task DefaultModels_RepositoryWithoutTheExpectedFile_Reported()
    {
        foreach (var model in DefaultModels.All)
        {
            // Matches the include but is not the file the example config loads.
            var name = model.Name == "gpt-oss-120b" ? "gpt-oss-120b-mxfp4-00001-of-00002.gguf" : model.ModelFile;
            _harness.Hub.Repo(model.Repo).Add(name, 1000);
        }

        var result = await _harness.RunAsync("--default-models");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("gpt-oss-120b-mxfp4-00001-of-00003.gguf is not among the files downloaded", result.Error, StringComparison.Ordinal);
    }
}
