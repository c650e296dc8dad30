using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class TopLevelSettingsTests
{
    [Fact]
    public void LoadYaml_EmptyDocument_LoadsDefaults()
    {
        var config = ConfigAssert.Loads(string.Empty);

        Assert.Equal(120, config.HealthCheckTimeoutSeconds);
        Assert.Equal("info", config.LogLevel);
        Assert.Equal("proxy", config.LogToStdout);
        Assert.Null(config.LogTimeFormat);
        Assert.Equal(5800, config.StartPort);
        Assert.Equal(0, config.GlobalTtlSeconds);
        Assert.Equal(10, config.UnloadTimeoutSeconds);
        Assert.Empty(config.Models);
        Assert.Empty(config.Groups);
        Assert.Empty(config.ApiKeys);
    }

    [Fact]
    public void LoadYaml_TopLevelValues_Read()
    {
        var config = ConfigAssert.Loads("""
            logLevel: DEBUG
            logTimeFormat: rfc3339
            logToStdout: both
            sendLoadingState: true
            includeAliasesInList: true
            apiKeys: [sk-1, sk-2]
            """);

        Assert.Equal("debug", config.LogLevel);
        Assert.Equal("rfc3339", config.LogTimeFormat);
        Assert.Equal("both", config.LogToStdout);
        Assert.True(config.SendLoadingState);
        Assert.True(config.IncludeAliasesInList);
        Assert.Equal(["sk-1", "sk-2"], config.ApiKeys);
    }

    [Fact]
    public void LoadYaml_UnknownLogLevel_FallsBackToInfo()
        => Assert.Equal("info", ConfigAssert.Loads("logLevel: verbose").LogLevel);

    [Fact]
    public void LoadYaml_InvalidLogToStdout_Rejected()
        => ConfigAssert.HasError(ConfigAssert.Fails("logToStdout: stderr"), "logToStdout", "logToStdout must be one of");

    [Fact]
    public void LoadYaml_InvalidApiKeys_EachReported()
    {
        var result = ConfigAssert.Fails("""
            apiKeys:
              - ok-key
              - ""
              - "has space"
            """);

        Assert.Equal(2, result.Errors.Count);
        ConfigAssert.HasError(result, "apiKeys[1]", "empty api key found in apiKeys");
        ConfigAssert.HasError(result, "apiKeys[2]", "api key cannot contain spaces");
        Assert.Contains("apiKeys[2]: api key cannot contain spaces", result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void LoadYaml_UnsupportedAndUnknownKeys_OneWarningEachNotErrors()
    {
        var result = ConfigLoader.LoadYaml("""
            store: { path: /tmp/activity.sqlite }
            routing:
              scheduler: { use: fifo }
            somethingNew: 1
            models:
              gpt:
                cmd: svr ${PORT}
                timeouts:
                  connect: 5
                compat:
                  ignoreWebsockets: true
                mystery: true
            groups:
              g:
                members: [gpt]
                flavour: spicy
            hooks:
              on_shutdown: {}
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(
            [
                "somethingNew: unknown key \"somethingNew\" at line 4; ignored",
                "models.gpt.mystery: unknown key \"mystery\" at line 12; ignored",
                "groups.g.flavour: unknown key \"flavour\" at line 16; ignored",
                "hooks.on_shutdown: unknown key \"on_shutdown\" at line 18; ignored",
            ],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void LoadYaml_ThreeDistinctErrors_AllReportedWithPaths()
    {
        var result = ConfigAssert.Fails("""
            startPort: -1
            models:
              a:
                cmd: svr ${PORT}
                ttl: abc
              b:
                cmd: svr ${PORT}
                env: [NOPE]
            """);

        Assert.Equal(
            ["startPort", "models.a.ttl", "models.b.env[0]"],
            result.Errors.Select(e => e.Path));
        ConfigAssert.HasError(result, "models.a.ttl", "expected an integer, got \"abc\"");
    }

    [Fact]
    public void LoadYaml_InvalidYaml_ReportsErrorWithoutThrowing()
    {
        var result = ConfigAssert.Fails("models:\n  a: [unclosed\n");

        Assert.Contains("invalid YAML", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_DuplicateKey_ReportedWithPath()
    {
        var result = ConfigAssert.Fails("""
            models:
              a:
                cmd: svr ${PORT}
                ttl: 1
                ttl: 2
            """);

        ConfigAssert.HasError(result, "models.a.ttl", "duplicate key 'ttl'");
    }

    [Fact]
    public void LoadYaml_MergeKey_MergesAnchoredMapping()
    {
        var config = ConfigAssert.Loads("""
            x-base: &base
              ttl: 30
              unlisted: true
            models:
              a:
                <<: *base
                cmd: svr --port ${PORT}
                ttl: 60
            """);

        Assert.Equal(60, config.Models["a"].TtlSeconds);
        Assert.True(config.Models["a"].Unlisted);
    }

    [Fact]
    public void LoadYaml_RootIsNotAMapping_Rejected()
        => Assert.Contains("must be a mapping", Assert.Single(ConfigAssert.Fails("- a\n- b").Errors).Message, StringComparison.Ordinal);

    [Fact]
    public void LoadFile_MissingFile_OneErrorNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "llamaswap-missing-" + Guid.NewGuid().ToString("N") + ".yaml");

        var result = ConfigLoader.LoadFile(path, ConfigAssert.NoEnvironment);

        Assert.Null(result.Config);
        Assert.Contains(path, Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
