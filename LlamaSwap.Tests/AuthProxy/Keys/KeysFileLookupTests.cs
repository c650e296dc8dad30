using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.AuthProxy.Keys;

/// <summary>
/// Where a <c>config.json</c> of keys is found (issue 12: it was looked for in the proxy's own working
/// directory, its project folder under Aspire, so a user's file was ignored and the port came up open).
/// </summary>
public sealed class KeysFileLookupTests : IDisposable
{
    private const string NoKeysConfig = """
        models:
          llama: {cmd: "server --port ${PORT}"}
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("llamaswap-keys-");
    private readonly LogRecorder _log = new();

    public KeysFileLookupTests()
    {
        ConfigDirectory = _root.CreateSubdirectory("config").FullName;
        WorkDirectory = _root.CreateSubdirectory("work").FullName;
        ConfigPath = Path.Combine(ConfigDirectory, "config.yaml");
        File.WriteAllText(ConfigPath, NoKeysConfig);
    }

    private string ConfigDirectory { get; }

    private string WorkDirectory { get; }

    private string ConfigPath { get; }

    [Fact]
    public void ConfigJsonNextToTheConfig_IsFound_AndTheLogNamesIt()
    {
        var keysFile = WriteKeys(ConfigDirectory, "sk-next-to-config");

        var keys = Load();

        Assert.True(keys.Matches("sk-next-to-config"));
        var loaded = Assert.Single(_log.WithId(1620));
        Assert.Equal(LogLevel.Information, loaded.Level);
        Assert.Equal($"Loaded 1 API keys from {keysFile}", loaded.Message);
    }

    [Fact]
    public void ConfigJsonInTheUsersWorkingDirectory_IsFound()
    {
        var keysFile = WriteKeys(WorkDirectory, "sk-in-workdir");

        var keys = Load();

        Assert.True(keys.Matches("sk-in-workdir"));
        Assert.Equal($"Loaded 1 API keys from {keysFile}", Assert.Single(_log.WithId(1620)).Message);
    }

    [Fact]
    public void NextToTheConfig_WinsOverTheWorkingDirectory()
    {
        WriteKeys(ConfigDirectory, "sk-next-to-config");
        WriteKeys(WorkDirectory, "sk-in-workdir");

        var keys = Load();

        Assert.True(keys.Matches("sk-next-to-config"));
        Assert.False(keys.Matches("sk-in-workdir"));
    }

    [Fact]
    public void ConfigJsonWithoutKeys_IsPassedOver()
    {
        File.WriteAllText(Path.Combine(ConfigDirectory, ApiKeyLoader.DefaultKeysFile), """{"apiKeys":[]}""");
        WriteKeys(WorkDirectory, "sk-in-workdir");

        Assert.True(Load().Matches("sk-in-workdir"));
    }

    [Fact]
    public void NamedKeysFile_WinsOverBoth_RelativeToTheUsersDirectory()
    {
        WriteKeys(ConfigDirectory, "sk-next-to-config");
        WriteKeys(WorkDirectory, "sk-in-workdir");
        File.WriteAllText(Path.Combine(WorkDirectory, "team-keys.json"), """{"apiKeys":["sk-named"]}""");

        var keys = Load(new() { [ApiKeyLoader.KeysFileKey] = "team-keys.json" });

        Assert.True(keys.Matches("sk-named"));
        Assert.Equal(1, keys.Count);
    }

    [Fact]
    public void NamedKeysFileMissing_StopsTheLoad_NamingTheFile()
    {
        WriteKeys(WorkDirectory, "sk-in-workdir");
        var missing = Path.Combine(WorkDirectory, "typo.json");

        var error = Assert.Throws<InvalidOperationException>(() => Load(new() { [ApiKeyLoader.KeysFileKey] = missing }));

        Assert.Equal($"LLAMASWAP_KEYS_FILE names the keys file {missing}, which does not exist", error.Message);
    }

    [Fact]
    public void KeysInTheConfig_WinOverAnyConfigJson()
    {
        File.WriteAllText(ConfigPath, NoKeysConfig + "\napiKeys: [sk-in-yaml]\n");
        WriteKeys(ConfigDirectory, "sk-next-to-config");

        var keys = Load();

        Assert.True(keys.Matches("sk-in-yaml"));
        Assert.False(keys.Matches("sk-next-to-config"));
        Assert.Equal($"Loaded 1 API keys from {ConfigPath}", Assert.Single(_log.WithId(1620)).Message);
    }

    [Fact]
    public void ConfigDirectoryOnly_ConfigJsonInIt_IsFound()
    {
        File.Delete(ConfigPath);
        WriteKeys(ConfigDirectory, "sk-in-config-dir");

        var keys = Load(new() { [WiringEnvironment.ConfigPathKey] = null, [WiringEnvironment.ConfigDirKey] = ConfigDirectory });

        Assert.True(keys.Matches("sk-in-config-dir"));
    }

    [Fact]
    public void ConfigJsonThatIsNotJson_StopsTheLoad_NamingTheFile()
    {
        var keysFile = Path.Combine(ConfigDirectory, ApiKeyLoader.DefaultKeysFile);
        File.WriteAllText(keysFile, "{\"apiKeys\": [\"sk-1\",");

        var error = Assert.Throws<InvalidOperationException>(() => Load());

        Assert.StartsWith($"keys file {keysFile} is not valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeysAnywhere_IsOpen_AndTheLogSaysWhereItLooked()
    {
        var keys = Load();

        Assert.True(keys.IsOpen);
        var none = Assert.Single(_log.WithId(1621));
        Assert.Equal(LogLevel.Information, none.Level);
        Assert.Equal(
            $"No API keys found; looked in: apiKeys in {ConfigPath}, {Path.Combine(ConfigDirectory, "config.json")}, {Path.Combine(WorkDirectory, "config.json")}, API_KEYS",
            none.Message);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private static string WriteKeys(string directory, string key)
    {
        var path = Path.Combine(directory, ApiKeyLoader.DefaultKeysFile);
        File.WriteAllText(path, $$"""{"apiKeys":["{{key}}"],"port":3000}""");
        return path;
    }

    private ApiKeySet Load(Dictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?>
        {
            [WiringEnvironment.ConfigPathKey] = ConfigPath,
            [WiringEnvironment.WorkDirectory] = WorkDirectory,
        };
        foreach (var (key, value) in overrides ?? [])
        {
            values[key] = value;
        }

        return ApiKeyLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), _log);
    }
}
