using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Configuration.Merge;

/// <summary>How services find and reload <c>LLAMASWAP_CONFIG</c> + <c>LLAMASWAP_CONFIG_DIR</c>.</summary>
public sealed class ConfigLocationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("llamaswap-location-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private IConfiguration Settings(string? file, string? dir) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [WiringEnvironment.ConfigPathKey] = file, [WiringEnvironment.ConfigDirKey] = dir })
        .Build();

    [Fact]
    public void From_NeitherSet_IsNull_BlankFileWithDirIsDirOnly()
    {
        Assert.Null(ConfigLocation.From(Settings(null, null)));
        Assert.Equal(new ConfigLocation(null, _dir.FullName), ConfigLocation.From(Settings("", _dir.FullName)));
    }

    [Fact]
    public void Stamp_ChangesWhenADirFileIsAddedChangedOrRemoved()
    {
        var location = new ConfigLocation(null, _dir.FullName);
        var first = Write("a.yaml", "models: {}\n");
        var empty = location.Stamp();

        var added = Write("b.yaml", "apiKeys: [sk-1]\n");
        var withB = location.Stamp();
        File.WriteAllText(added, "apiKeys: [sk-1, sk-22]\n");
        var changed = location.Stamp();
        File.Delete(first);
        var removed = location.Stamp();

        Assert.Equal(4, new[] { empty, withB, changed, removed }.Distinct().Count());
        Assert.Equal(removed, location.Stamp());
    }

    [Fact]
    public async Task Reloader_ReadsTheWholeDirectory()
    {
        Write("a.yaml", "models:\n  a: { cmd: \"svr ${PORT}\" }\n");
        var target = new RecordingTarget();
        using var reloader = new ConfigReloader(Settings(null, _dir.FullName), [target], TimeProvider.System, NullLogger<ConfigReloader>.Instance);
        await reloader.StartAsync(CancellationToken.None);

        Write("b.yaml", "models:\n  b: { cmd: \"svr ${PORT}\" }\n");
        Assert.True(await reloader.ReloadAsync("test"));

        Assert.Equal(["a", "b"], Assert.Single(target.Applied).Models.Keys);
    }

    private sealed class RecordingTarget : IConfigReloadTarget
    {
        public List<LlamaSwapConfig> Applied { get; } = [];

        public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
        {
            Applied.Add(config);
            return Task.CompletedTask;
        }
    }
}
