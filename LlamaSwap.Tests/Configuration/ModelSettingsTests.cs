namespace LlamaSwap.Tests.Configuration;

public sealed class ModelSettingsTests
{
    [Fact]
    public void LoadYaml_MinimalModel_GetsDefaults()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr --port ${PORT}
            """);

        var model = config.Models["m"];
        Assert.Equal("/health", model.CheckEndpoint);
        Assert.Equal(0, model.TtlSeconds);
        Assert.Equal(10, model.UnloadTimeoutSeconds);
        Assert.Equal(120, model.HealthCheckTimeoutSeconds);
        Assert.Equal(10, model.ConcurrencyLimit);
        Assert.Null(model.StopCommand);
        Assert.Null(model.SendLoadingState);
        Assert.Null(model.Name);
        Assert.Null(model.UseModelName);
        Assert.Empty(model.Aliases);
        Assert.Empty(model.Env);
    }

    [Fact]
    public void LoadYaml_TtlUnsetOrMinusOne_DefaultsToGlobalTtl()
    {
        var config = ConfigAssert.Loads("""
            globalTTL: 300
            models:
              a: { cmd: "svr ${PORT}" }
              b: { cmd: "svr ${PORT}", ttl: -1 }
              c: { cmd: "svr ${PORT}", ttl: 0 }
              d: { cmd: "svr ${PORT}", ttl: 5 }
            """);

        Assert.Equal(300, config.Models["a"].TtlSeconds);
        Assert.Equal(300, config.Models["b"].TtlSeconds);
        Assert.Equal(0, config.Models["c"].TtlSeconds);
        Assert.Equal(5, config.Models["d"].TtlSeconds);
    }

    [Fact]
    public void LoadYaml_TtlBelowMinusOne_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a: { cmd: "svr ${PORT}", ttl: -2 }
            """);

        ConfigAssert.HasError(result, "models.a.ttl", "ttl must be >= 0");
    }

    [Fact]
    public void LoadYaml_NegativeGlobalTtl_Rejected()
        => ConfigAssert.HasError(ConfigAssert.Fails("globalTTL: -1"), "globalTTL", "globalTTL must be >= 0");

    [Fact]
    public void LoadYaml_UnloadTimeoutZero_UsesGlobalThenTen()
    {
        var config = ConfigAssert.Loads("""
            unloadTimeout: 0
            models:
              a: { cmd: "svr ${PORT}" }
              b: { cmd: "svr ${PORT}", unloadTimeout: 30 }
            """);

        Assert.Equal(10, config.UnloadTimeoutSeconds);
        Assert.Equal(10, config.Models["a"].UnloadTimeoutSeconds);
        Assert.Equal(30, config.Models["b"].UnloadTimeoutSeconds);
    }

    [Fact]
    public void LoadYaml_GlobalUnloadTimeout_InheritedByModels()
    {
        var config = ConfigAssert.Loads("""
            unloadTimeout: 25
            models:
              a: { cmd: "svr ${PORT}", unloadTimeout: 0 }
            """);

        Assert.Equal(25, config.Models["a"].UnloadTimeoutSeconds);
    }

    [Fact]
    public void LoadYaml_NegativeUnloadTimeout_Rejected()
        => ConfigAssert.HasError(ConfigAssert.Fails("unloadTimeout: -5"), "unloadTimeout", "unloadTimeout must be >= 0");

    [Theory]
    [InlineData(1, 15)]
    [InlineData(14, 15)]
    [InlineData(15, 15)]
    [InlineData(500, 500)]
    public void LoadYaml_HealthCheckTimeout_RaisedToFifteenAndCopiedToModels(int configured, int expected)
    {
        var config = ConfigAssert.Loads($$"""
            healthCheckTimeout: {{configured}}
            models:
              a: { cmd: "svr ${PORT}" }
            """);

        Assert.Equal(expected, config.HealthCheckTimeoutSeconds);
        Assert.Equal(expected, config.Models["a"].HealthCheckTimeoutSeconds);
    }

    [Fact]
    public void LoadYaml_ConcurrencyLimit_ZeroMeansTenAndNegativeRejected()
    {
        var config = ConfigAssert.Loads("""
            models:
              a: { cmd: "svr ${PORT}", concurrencyLimit: 0 }
              b: { cmd: "svr ${PORT}", concurrencyLimit: 3 }
            """);
        Assert.Equal(10, config.Models["a"].ConcurrencyLimit);
        Assert.Equal(3, config.Models["b"].ConcurrencyLimit);

        var result = ConfigAssert.Fails("""
            models:
              a: { cmd: "svr ${PORT}", concurrencyLimit: -1 }
            """);
        ConfigAssert.HasError(result, "models.a.concurrencyLimit", "concurrencyLimit must be >= 0");
    }

    [Fact]
    public void LoadYaml_CheckEndpointNone_DisablesHealthCheck()
    {
        var config = ConfigAssert.Loads("""
            models:
              a: { cmd: "svr ${PORT}", checkEndpoint: none }
              b: { cmd: "svr ${PORT}", checkEndpoint: /v1/models }
            """);

        Assert.Null(config.Models["a"].CheckEndpoint);
        Assert.Equal("/v1/models", config.Models["b"].CheckEndpoint);
    }

    [Fact]
    public void LoadYaml_AllModelFields_Read()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr --port ${PORT}
                env: ["CUDA_VISIBLE_DEVICES=0,1", "EMPTY=", "EQ=a=b"]
                useModelName: "openai/gpt"
                unlisted: true
                name: "  Display  "
                description: "   "
                sendLoadingState: false
            """);

        var model = config.Models["m"];
        Assert.Equal(
            [new("CUDA_VISIBLE_DEVICES", "0,1"), new("EMPTY", ""), new KeyValuePair<string, string>("EQ", "a=b")],
            model.Env);
        Assert.Equal("openai/gpt", model.UseModelName);
        Assert.True(model.Unlisted);
        Assert.Equal("Display", model.Name);
        Assert.Null(model.Description);
        Assert.False(model.SendLoadingState);
    }

    [Fact]
    public void LoadYaml_EnvEntryWithoutEquals_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr --port ${PORT}
                env: ["OK=1", "NOT_AN_ASSIGNMENT"]
            """);

        ConfigAssert.HasError(result, "models.m.env[1]", "expected NAME=value");
    }

    [Fact]
    public void LoadYaml_MultiLineCmdWithContinuationsAndQuotes_SplitAndJoined()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: |
                  /usr/bin/svr \
                    --model '/models/my model.gguf' \
                    --alias "a \"quoted\" name"
                  --port ${PORT}
            """);

        var model = config.Models["m"];
        Assert.Equal(
            ["/usr/bin/svr", "--model", "/models/my model.gguf", "--alias", "a \"quoted\" name", "--port", "5800"],
            model.Command);
        Assert.Equal("/usr/bin/svr --model '/models/my model.gguf' --alias \"a \\\"quoted\\\" name\"\n--port 5800", model.CmdText);
    }

    [Fact]
    public void LoadYaml_CmdStop_KeepsPidPlaceholder()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: docker run --name ${MODEL_ID} -p ${PORT}:8080 img
                cmdStop: docker stop ${MODEL_ID} && kill ${PID}
            """);

        Assert.Equal(["docker", "stop", "m", "&&", "kill", "${PID}"], config.Models["m"].StopCommand);
    }

    [Theory]
    [InlineData("cmd: \"\"")]
    [InlineData("cmd: \"# only a comment\"")]
    [InlineData("name: no cmd at all")]
    public void LoadYaml_EmptyOrMissingCmd_Rejected(string line)
    {
        var result = ConfigAssert.Fails($$"""
            models:
              m:
                {{line}}
                proxy: http://localhost:1
            """);

        ConfigAssert.HasError(result, "models.m.cmd", "cmd is required");
    }

    [Fact]
    public void LoadYaml_UnbalancedQuoteInCmd_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr --port ${PORT} --name 'oops
            """);

        ConfigAssert.HasError(result, "models.m.cmd", "unterminated single quote");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://host/")]
    public void LoadYaml_InvalidProxy_Rejected(string proxy)
    {
        var result = ConfigAssert.Fails($$"""
            models:
              m:
                cmd: svr --port 1
                proxy: "{{proxy}}"
            """);

        ConfigAssert.HasError(result, "models.m.proxy", "proxy must be an absolute http(s) URL");
    }

    [Fact]
    public void LoadYaml_WrongTypes_ReportedWithPathAndValue()
    {
        var result = ConfigAssert.Fails("""
            models:
              a:
                cmd: svr ${PORT}
                ttl: abc
                unlisted: maybe
                aliases: { x: y }
            """);

        ConfigAssert.HasError(result, "models.a.ttl", "expected an integer, got \"abc\"");
        ConfigAssert.HasError(result, "models.a.unlisted", "expected true or false, got \"maybe\"");
        ConfigAssert.HasError(result, "models.a.aliases", "expected a list of strings, got a mapping");
    }
}
