using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.AuthProxy.Keys;

public sealed class ApiKeyDefinitionsLoadingTests
{
    [Fact]
    public void ConfigKeys_AreLoadedAsDefinitions_WithTheConfigForModelNames()
    {
        using var file = new TempConfig("""
            models:
              llama: {cmd: "server --port ${PORT}", aliases: [fast]}
            apiKeys:
              - sk-full
              - {key: sk-reader, name: reader, scopes: [read], models: ["ll*"]}
            """);

        var keys = Load(new() { [WiringEnvironment.ConfigPathKey] = file.Path, [ApiKeyLoader.KeysEnvKey] = "from-env" });

        Assert.Equal(2, keys.Count);
        Assert.False(keys.AllUnrestricted);
        var reader = keys.Match("sk-reader");
        Assert.Equal("reader", reader?.Name);
        Assert.Equal(ApiKeyScopes.Read, reader?.Scopes);
        Assert.True(keys.Match("sk-full")?.IsUnrestricted);
        Assert.Null(keys.Match("from-env"));
    }

    [Fact]
    public void ConfigWithoutKeys_FallsBackToTheEnvironment_AsFullAccessKeys()
    {
        using var file = new TempConfig("""
            models:
              llama: {cmd: "server --port ${PORT}"}
            """);

        var keys = Load(new()
        {
            [WiringEnvironment.ConfigPathKey] = file.Path,
            [WiringEnvironment.WorkDirectory] = file.Directory,
            [ApiKeyLoader.KeysEnvKey] = "k1",
        });

        Assert.True(keys.AllUnrestricted);
        Assert.Equal(ApiKeyConfig.Unrestricted("k1").Name, keys.Match("k1")?.Name);
    }

    [Fact]
    public void Match_ReturnsTheDefinition_ForAHashOnlyKey()
    {
        var hashed = new ApiKeyConfig
        {
            Name = "hashed",
            Sha256 = System.Security.Cryptography.SHA256.HashData("secret"u8),
            Scopes = ApiKeyScopes.Inference,
        };
        var keys = new ApiKeySet([ApiKeyConfig.Unrestricted("other"), hashed]);

        Assert.Same(hashed, keys.Match("secret"));
        Assert.Null(keys.Match("secre"));
        Assert.Null(keys.Match(null));
    }

    private static ApiKeySet Load(Dictionary<string, string?> values)
        => ApiKeyLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), NullLogger.Instance);

    private sealed class TempConfig : IDisposable
    {
        /// <summary>In a directory of its own: a config.json next to it would be read as keys.</summary>
        public TempConfig(string yaml)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("llamaswap-keys-").FullName;
            Path = System.IO.Path.Combine(Directory, "config.yaml");
            File.WriteAllText(Path, yaml);
        }

        public string Directory { get; }

        public string Path { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
