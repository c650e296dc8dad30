using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration.Merge;

/// <summary><c>--config</c> + <c>--config-dir</c> merging (reference 1.2; 6.2 merge_test).</summary>
public sealed class ConfigMergeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("llamaswap-merge-").FullName;

    private string Dir => Path.Combine(_root, "conf.d");

    public ConfigMergeTests() => Directory.CreateDirectory(Dir);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string name, string yaml, bool inDir = true)
    {
        var path = Path.Combine(inDir ? Dir : _root, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static LlamaSwapConfig Succeeds(ConfigLoadResult result)
    {
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config!;
    }

    [Fact]
    public void DirOnly_LoadsAllFiles()
    {
        Write("a.yaml", "models:\n  a: { cmd: \"svr ${PORT}\" }\n");
        Write("b.yml", "models:\n  b: { cmd: \"svr ${PORT}\" }\n");
        Write("notes.txt", "not: yaml: at all:");

        var config = Succeeds(ConfigLoader.LoadFiles(null, Dir, ConfigAssert.NoEnvironment));

        Assert.Equal(["a", "b"], config.Models.Keys);
    }

    [Fact]
    public void ConfigPlusDir_Additive_MacrosFromOtherFilesAvailable()
    {
        var main = Write("config.yaml", "startPort: 9000\nmacros:\n  server: llama-server\nmodels:\n  main: { cmd: \"${server} --port ${PORT}\" }\n", inDir: false);
        Write("extra.yaml", "macros:\n  flags: --fast\nmodels:\n  extra: { cmd: \"${server} ${flags} --port ${PORT}\" }\n");

        var config = Succeeds(ConfigLoader.LoadFiles(main, Dir, ConfigAssert.NoEnvironment));

        Assert.Equal(["extra", "main"], config.Models.Keys);
        Assert.Equal(["llama-server", "--fast", "--port", "9000"], config.Models["extra"].Command);
    }

    [Theory]
    [InlineData("models:\n  a: { cmd: \"svr ${PORT}\" }\n", "models.a", "duplicate models \"a\" found in")]
    [InlineData("groups:\n  g: { members: [a] }\n", "groups.g", "duplicate groups \"g\" found in")]
    [InlineData("peers:\n  p: { proxy: \"http://peer\", models: [x] }\n", "peers.p", "duplicate peers \"p\" found in")]
    public void DuplicateIdentityKey_Error(string yaml, string path, string message)
    {
        Write("1.yaml", yaml);
        var second = Write("2.yaml", yaml);

        var result = ConfigLoader.LoadFiles(null, Dir, ConfigAssert.NoEnvironment);

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, path, $"{message} {second}");
    }

    [Fact]
    public void DifferentScalars_Conflict()
    {
        Write("1.yaml", "healthCheckTimeout: 30\nmodels: {}\n");
        var second = Write("2.yaml", "healthCheckTimeout: 60\n");

        var result = ConfigLoader.LoadFiles(null, Dir, ConfigAssert.NoEnvironment);

        ConfigAssert.HasError(result, "healthCheckTimeout", $"conflict at \"healthCheckTimeout\": {second} sets a different value than a previous source");
        Assert.Null(result.Config);
    }

    [Fact]
    public void EqualScalars_AndNullYields()
    {
        Write("1.yaml", "healthCheckTimeout: 30\nglobalTTL:\nmodels: {}\n");
        Write("2.yaml", "healthCheckTimeout: 30\nglobalTTL: 300\nincludeAliasesInList:\n");

        var config = Succeeds(ConfigLoader.LoadFiles(null, Dir, ConfigAssert.NoEnvironment));

        Assert.Equal(30, config.HealthCheckTimeoutSeconds);
        Assert.Equal(300, config.GlobalTtlSeconds);
    }

    [Fact]
    public void Lists_Concatenate_InSortedFileOrder()
    {
        // Written out of order: the merge follows the file names, not the creation order.
        Write("20-keys.yaml", "apiKeys: [sk-two]\n");
        Write("10-keys.yaml", "apiKeys: [sk-one]\nmodels: {}\n");

        var config = Succeeds(ConfigLoader.LoadFiles(null, Dir, ConfigAssert.NoEnvironment));

        Assert.Equal(["sk-one", "sk-two"], config.ApiKeys);
    }

    [Fact]
    public void EnvMacros_SubstitutedPerFile_InFlowLists()
    {
        Write("keys.yaml", "apiKeys: [\"${env.KEY_A}\", \"${env.KEY_B}\"]\nmodels: {}\n");
        var environment = new Dictionary<string, string> { ["KEY_A"] = "sk-a", ["KEY_B"] = "sk-b" };

        var config = Succeeds(ConfigLoader.LoadFiles(null, Dir, environment));

        Assert.Equal(["sk-a", "sk-b"], config.ApiKeys);
    }

    [Fact]
    public void SameFileAsConfigAndInDir_Error()
    {
        var file = Write("config.yaml", "models:\n  a: { cmd: \"svr ${PORT}\" }\n");

        var result = ConfigLoader.LoadFiles(file, Dir, ConfigAssert.NoEnvironment);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Contains("is given as --config and is also in --config-dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFile_ErrorNamesTheFile()
    {
        var bad = Write("bad.yaml", "models: [unclosed\n");

        var result = ConfigLoader.LoadFiles(null, Dir, ConfigAssert.NoEnvironment);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Message.StartsWith(bad + ":", StringComparison.Ordinal));
    }
}
