using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.AuthProxy;

public sealed class ApiKeyLoaderTests
{
    [Fact]
    public void ParseList_TrimsAndDropsEmpties()
        => Assert.Equal(["a", "b c", "d"], ApiKeyLoader.ParseList(" a ,, b c ,d,  "));

    [Fact]
    public void KeysFile_WinsOverEnvironment()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"apiKeys":["from-file", "  ", 5]}""");
            var keys = Load(new() { [ApiKeyLoader.KeysFileKey] = file, [ApiKeyLoader.KeysEnvKey] = "from-env" });
            Assert.True(keys.Matches("from-file"));
            Assert.False(keys.Matches("from-env"));
            Assert.Equal(1, keys.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Environment_IsUsedWhenNoFile()
    {
        var keys = Load(new() { [ApiKeyLoader.KeysEnvKey] = "k1, k2" });
        Assert.True(keys.Matches("k2"));
    }

    [Fact]
    public void NothingConfigured_IsOpen()
        => Assert.True(Load([]).IsOpen);

    [Fact]
    public void NamedKeysFileMissing_IsAnError_NotAnOpenPort()
        => Assert.Throws<InvalidOperationException>(() => Load(new() { [ApiKeyLoader.KeysFileKey] = "/nonexistent/keys.json", [ApiKeyLoader.KeysEnvKey] = "k1" }));

    /// <summary>In an empty working directory, so no config.json on this machine is picked up.</summary>
    private static ApiKeySet Load(Dictionary<string, string?> values)
    {
        var workDirectory = Directory.CreateTempSubdirectory("llamaswap-keys-");
        try
        {
            values[WiringEnvironment.WorkDirectory] = workDirectory.FullName;
            return ApiKeyLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), NullLogger.Instance);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }
}
