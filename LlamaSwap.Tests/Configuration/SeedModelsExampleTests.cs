using LlamaSwap.Cli.Download;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Configuration;

/// <summary>examples/seed-models.yaml loads, and points at the files <c>llamaswap download --default-models</c> writes.</summary>
public sealed class SeedModelsExampleTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["HOME"] = "/home/tester" };

    private static LlamaSwapConfig Load()
    {
        var result = ConfigLoader.LoadFile(Path.Combine(RepoLayout.Root, "examples", "seed-models.yaml"), Environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
        return result.Config!;
    }

    [Fact]
    public void LoadFile_SeedModels_FourModelsWithTheirAliases()
    {
        var config = Load();

        Assert.Equal(["glm-4.7-flash", "gpt-oss-120b", "nomic-embed-text-v1.5", "qwen3-coder-next"], config.Models.Keys.Order(StringComparer.Ordinal));
        Assert.All(config.Models.Values, m => Assert.Null(m.DisabledReason));
        foreach (var (alias, model) in new[]
                 {
                     ("gpt-oss", "gpt-oss-120b"), ("glm-flash", "glm-4.7-flash"), ("qwen3-coder", "qwen3-coder-next"),
                     ("nomic-embed-text", "nomic-embed-text-v1.5"), ("text-embedding-nomic", "nomic-embed-text-v1.5"),
                     ("nomic-ai/nomic-embed-text-v1.5", "nomic-embed-text-v1.5"),
                 })
        {
            Assert.Equal(model, config.ResolveModelId(alias));
        }

        Assert.Contains("--embeddings", config.Models["nomic-embed-text-v1.5"].Command);
    }

    [Fact]
    public void LoadFile_SeedModels_BigThreeSwap_EmbeddingsStayLoaded()
    {
        var config = Load();

        var chat = config.Groups["chat"];
        Assert.True(chat.Swap);
        Assert.True(chat.Exclusive);
        Assert.False(chat.Persistent);
        Assert.Equal(["gpt-oss-120b", "glm-4.7-flash", "qwen3-coder-next"], chat.Members);

        var embeddings = config.Groups["embeddings"];
        Assert.False(embeddings.Swap);
        Assert.False(embeddings.Exclusive);
        Assert.True(embeddings.Persistent);
        Assert.Equal(["nomic-embed-text-v1.5"], embeddings.Members);
    }

    [Fact]
    public void LoadFile_SeedModels_EachCommandLoadsTheFileDownloadDefaultModelsWrites()
    {
        var config = Load();

        var models = config.Models.Values.ToList();
        foreach (var model in DefaultModels.All)
        {
            var file = Path.Combine(model.Folder("/home/tester/models"), model.ModelFile);
            var loading = Assert.Single(models, m => m.Command.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() == file);
            Assert.Equal("llama-server", loading.Command[0]);
            var port = loading.Command.SkipWhile(a => a != "--port").ElementAt(1);
            Assert.Equal(loading.Proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), port);
        }
    }
}
