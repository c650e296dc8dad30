using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary>An unknown key is reported with its line and, when a valid key is near, the key it was probably meant to be.</summary>
public sealed class UnknownKeySuggestionTests
{
    [Fact]
    public void LoadYaml_TopLevelTypo_WarnsWithTheLineAndTheSuggestion()
    {
        var result = ConfigLoader.LoadYaml("logLevel: info\nmodles:\n  a:\n    cmd: server\n", ConfigAssert.NoEnvironment);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("modles: unknown key \"modles\" at line 2 (did you mean \"models\"?); ignored", warning.ToString());
    }

    [Theory]
    [InlineData("cmdd", "cmd")]
    [InlineData("porxy", "proxy")]
    [InlineData("alias", "aliases")]
    [InlineData("tll", "ttl")]
    [InlineData("unloadTimeut", "unloadTimeout")]
    [InlineData("useModelname", "useModelName")]
    public void LoadYaml_ModelFieldTypo_WarnsWithTheSuggestion(string key, string expected)
    {
        var result = ConfigLoader.LoadYaml($"models:\n  m:\n    cmd: server ${{PORT}}\n    {key}: x\n", ConfigAssert.NoEnvironment);

        ConfigAssert.HasWarning(result, $"models.m.{key}", $"unknown key \"{key}\" at line 4 (did you mean \"{expected}\"?)");
    }

    [Theory]
    [InlineData("models:\n  m:\n    cmd: s ${PORT}\n    filters:\n      stripParam: a\n", "models.m.filters.stripParam", "stripParams")]
    [InlineData("models:\n  m:\n    cmd: s ${PORT}\n    capabilities:\n      tool: true\n", "models.m.capabilities.tool", "tools")]
    [InlineData("models:\n  m:\n    cmd: s ${PORT}\n    timeouts:\n      conect: 5\n", "models.m.timeouts.conect", "connect")]
    [InlineData("models:\n  m:\n    cmd: s ${PORT}\ngroups:\n  g:\n    member: [m]\n", "groups.g.member", "members")]
    [InlineData("peers:\n  p:\n    proxy: http://h\n    models: [x]\n    apikey: k\n", "peers.p.apikey", "apiKey")]
    [InlineData("models:\n  m:\n    cmd: s ${PORT}\nhooks:\n  on_startup:\n    prelaod: [m]\n", "hooks.on_startup.prelaod", "preload")]
    [InlineData("routing:\n  scheduler:\n    use: fifo\n    setings: {}\n", "routing.scheduler.setings", "settings")]
    public void LoadYaml_NestedTypo_WarnsWithTheKeysValidThere(string yaml, string path, string expected)
    {
        var result = ConfigLoader.LoadYaml(yaml, ConfigAssert.NoEnvironment);

        var key = path[(path.LastIndexOf('.') + 1)..];
        ConfigAssert.HasWarning(result, path, $"unknown key \"{key}\" at line ");
        ConfigAssert.HasWarning(result, path, $"(did you mean \"{expected}\"?)");
    }

    [Theory]
    [InlineData("healthcheckTimeout: 30\n", "healthcheckTimeout", "healthCheckTimeout")]
    [InlineData("MODELS: {}\n", "MODELS", "models")]
    [InlineData("models:\n  m:\n    CMD: x\n    cmd: s ${PORT}\n", "models.m.CMD", "cmd")]
    [InlineData("models:\n  m:\n    cmd: s ${PORT}\n    checkendpoint: /health\n", "models.m.checkendpoint", "checkEndpoint")]
    public void LoadYaml_KeyInTheWrongCase_SuggestsTheRightCase(string yaml, string path, string expected)
        => ConfigAssert.HasWarning(ConfigLoader.LoadYaml(yaml, ConfigAssert.NoEnvironment), path, $"(did you mean \"{expected}\"?)");

    [Fact]
    public void LoadYaml_NothingNear_WarnsWithoutASuggestion()
    {
        var result = ConfigLoader.LoadYaml("somethingNew: 1\nmodels:\n  m:\n    cmd: s ${PORT}\n    mystery: true\n", ConfigAssert.NoEnvironment);

        Assert.Equal(
            ["somethingNew: unknown key \"somethingNew\" at line 1; ignored", "models.m.mystery: unknown key \"mystery\" at line 5; ignored"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void LoadYaml_MacroNamesAreFreeForm_NoWarningForANameLikeAKey()
    {
        var result = ConfigLoader.LoadYaml("""
            macros:
              modles: /models
            models:
              m:
                cmd: server --dir ${modles} --port ${PORT}
                macros:
                  cmdd: x
                metadata:
                  porxy: y
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void LoadYaml_TyposAtEveryLevelAndAnError_AllReportedAtOnce()
    {
        var result = ConfigLoader.LoadYaml("""
            startport: 5000
            models:
              m:
                cmd: s ${PORT}
                ttl: soon
                aliasses: [n]
                filters:
                  setParam: {}
            groups:
              g:
                swapp: true
                members: [m]
            """, ConfigAssert.NoEnvironment);

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, "models.m.ttl", "expected an integer");
        ConfigAssert.HasWarning(result, "startport", "at line 1 (did you mean \"startPort\"?)");
        ConfigAssert.HasWarning(result, "models.m.aliasses", "at line 6 (did you mean \"aliases\"?)");
        ConfigAssert.HasWarning(result, "models.m.filters.setParam", "at line 8 (did you mean \"setParams\"?)");
        ConfigAssert.HasWarning(result, "groups.g.swapp", "at line 11 (did you mean \"swap\"?)");
    }

    [Fact]
    public void LoadYaml_ApiKeyDefinitionTypo_IsAnErrorWithTheSuggestion()
    {
        var result = ConfigAssert.Fails("apiKeys:\n  - key: sk-one\n    scope: [read]\n");

        ConfigAssert.HasError(result, "apiKeys[0].scope", "unknown key \"scope\" at line 3 (did you mean \"scopes\"?)");
    }

    [Fact]
    public void LoadFiles_TypoInAConfigDirFile_NamesTheFileWithTheLine()
    {
        var dir = Directory.CreateTempSubdirectory("llamaswap-suggest-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.yaml"), "models:\n  m:\n    cmd: s ${PORT}\n");
            var second = Path.Combine(dir.FullName, "b.yaml");
            File.WriteAllText(second, "# groups\ngroup:\n  g:\n    members: [m]\n");

            var result = ConfigLoader.LoadFiles(null, dir.FullName, ConfigAssert.NoEnvironment);

            ConfigAssert.HasWarning(result, "group", $"unknown key \"group\" at line 2 of {second} (did you mean \"groups\"?)");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
