namespace LlamaSwap.Tests.Configuration;

public sealed class MacroTests
{
    [Fact]
    public void LoadYaml_GlobalAndModelMacros_ReplacedInCmdAndCmdStop()
    {
        var config = ConfigAssert.Loads("""
            startPort: 9990
            macros:
              svr-path: "path/to/server"
              argOne: "--arg1"
              argTwo: "--arg2"
              autoPort: "--port ${PORT}"
              overriddenByModelMacro: failed
            models:
              model1:
                macros:
                  overriddenByModelMacro: success
                cmd: |
                  ${svr-path} ${argTwo}
                  # the automatic ${PORT} is replaced
                  ${autoPort}
                  ${argOne}
                  --arg3 three
                  --overridden ${overriddenByModelMacro}
                cmdStop: |
                  /path/to/stop.sh --port ${PORT} ${argTwo}
            """);

        var model = config.Models["model1"];
        Assert.Equal(
            ["path/to/server", "--arg2", "--port", "9990", "--arg1", "--arg3", "three", "--overridden", "success"],
            model.Command);
        Assert.Equal(["/path/to/stop.sh", "--port", "9990", "--arg2"], model.StopCommand);
        Assert.Equal(new Uri("http://localhost:9990"), model.Proxy);
    }

    [Fact]
    public void LoadYaml_MacroReferencingEarlierMacro_Expands()
    {
        var config = ConfigAssert.Loads("""
            macros:
              first: "--first"
              second: "${first} --second"
            models:
              m:
                macros:
                  third: "${second} --third ${MODEL_ID}"
                cmd: svr ${third} --port ${PORT}
            """);

        Assert.Equal(["svr", "--first", "--second", "--third", "m", "--port", "5800"], config.Models["m"].Command);
    }

    [Fact]
    public void LoadYaml_MacroReferencingLaterMacro_ReportsUnknownMacro()
    {
        var result = ConfigAssert.Fails("""
            macros:
              first: "${SECOND}"
              SECOND: "--second"
            models:
              M:
                cmd: svr ${first} --port ${PORT}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("models.M.cmd", error.Path);
        Assert.Equal("unknown macro '${SECOND}' found in M.cmd", error.Message);
    }

    [Fact]
    public void LoadYaml_ModelMacroOverridesGlobal_OnlyInThatModel()
    {
        var config = ConfigAssert.Loads("""
            macros:
              ctx: 4096
              args: "--ctx ${ctx}"
            models:
              a:
                macros:
                  ctx: 16384
                cmd: svr ${args} --port ${PORT}
              b:
                cmd: svr ${args} --port ${PORT}
            """);

        Assert.Equal("svr --ctx 16384 --port 5800", config.Models["a"].CmdText);
        Assert.Equal("svr --ctx 4096 --port 5801", config.Models["b"].CmdText);
    }

    [Fact]
    public void LoadYaml_ModelLocalMacro_DoesNotLeakToOtherModels()
    {
        var result = ConfigAssert.Fails("""
            models:
              a:
                macros:
                  onlyA: "--a"
                cmd: svr ${onlyA} --port ${PORT}
              b:
                cmd: svr ${onlyA} --port ${PORT}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("models.b.cmd", error.Path);
        Assert.Equal("unknown macro '${onlyA}' found in b.cmd", error.Message);
    }

    [Theory]
    [InlineData("PORT")]
    [InlineData("MODEL_ID")]
    [InlineData("PID")]
    public void LoadYaml_ReservedMacroName_Rejected(string name)
    {
        var result = ConfigAssert.Fails($$"""
            macros:
              {{name}}: "x"
            models:
              m: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, $"macros.{name}", "is reserved");
    }

    [Theory]
    [InlineData("\"bad name\"", "contains invalid characters")]
    [InlineData("\"has.dot\"", "contains invalid characters")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "exceeds maximum length")]
    public void LoadYaml_InvalidMacroName_Rejected(string name, string message)
    {
        var result = ConfigAssert.Fails($$"""
            models:
              m:
                macros:
                  {{name}}: "x"
                cmd: "svr ${PORT}"
            """);

        Assert.Contains(result.Errors, e => e.Path.StartsWith("models.m.macros.", StringComparison.Ordinal) && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_MacroNameOf63Characters_Accepted()
    {
        var name = new string('a', 63);
        var config = ConfigAssert.Loads($$"""
            macros:
              {{name}}: "--ok"
            models:
              m: { cmd: "svr ${{{name}}} ${PORT}" }
            """);

        Assert.Equal("svr --ok 5800", config.Models["m"].CmdText);
    }

    [Fact]
    public void LoadYaml_MacroReferencingItself_Rejected()
    {
        var result = ConfigAssert.Fails("""
            macros:
              loop: "--x ${loop}"
            models:
              m: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, "macros.loop", "reference to itself");
    }

    [Fact]
    public void LoadYaml_NonScalarMacroValue_Rejected()
    {
        var result = ConfigAssert.Fails("""
            macros:
              list: [a, b]
            models:
              m: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, "macros.list", "must be a string, number or boolean");
    }

    [Fact]
    public void LoadYaml_WholeValueMacroInIntField_KeepsItsType()
    {
        var config = ConfigAssert.Loads("""
            macros:
              t: 300
              limit: 3
              yes: true
            globalTTL: ${t}
            models:
              m:
                cmd: svr ${PORT}
                ttl: ${t}
                concurrencyLimit: ${limit}
                unlisted: ${yes}
            """);

        Assert.Equal(300, config.GlobalTtlSeconds);
        Assert.Equal(300, config.Models["m"].TtlSeconds);
        Assert.Equal(3, config.Models["m"].ConcurrencyLimit);
        Assert.True(config.Models["m"].Unlisted);
    }

    [Fact]
    public void LoadYaml_InterpolatedNumericMacro_UsesCanonicalText()
    {
        var config = ConfigAssert.Loads("""
            macros:
              temp: 0.70
              hex: 0x10
            models:
              m: { cmd: "svr --temp ${temp} --n ${hex} ${PORT}" }
            """);

        Assert.Equal("svr --temp 0.7 --n 16 5800", config.Models["m"].CmdText);
    }

    [Fact]
    public void LoadYaml_GlobalMacrosInTopLevelValues_Substituted()
    {
        var config = ConfigAssert.Loads("""
            macros:
              key: sk-123
              first: a
            apiKeys: ["${key}"]
            hooks:
              on_startup:
                preload: ["${first}"]
            models:
              a: { cmd: "svr ${PORT}" }
            """);

        Assert.Equal(["sk-123"], config.ApiKeys);
        Assert.Equal(["a"], config.Preload);
    }

    [Fact]
    public void LoadYaml_UnknownMacroInTopLevelValue_ReportedWithPath()
    {
        var result = ConfigAssert.Fails("""
            apiKeys: ["${nope}"]
            models:
              a: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, "apiKeys[0]", "unknown macro '${nope}'");
    }

    [Fact]
    public void LoadYaml_MacroInMapKey_NotExpanded()
    {
        var config = ConfigAssert.Loads("""
            macros:
              id: real
            models:
              ${id}:
                cmd: svr ${PORT}
            """);

        Assert.Equal(["${id}"], config.Models.Keys);
    }

    [Fact]
    public void LoadYaml_PidOutsideCmdStop_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT} --pid ${PID}
            """);

        ConfigAssert.HasError(result, "models.m.cmd", "unknown macro '${PID}' found in m.cmd");
    }

    [Fact]
    public void LoadYaml_PortLeftInFieldOfModelWithoutPortInCmd_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr --port 9000
                proxy: http://localhost:9000
                name: "on ${PORT}"
            """);

        ConfigAssert.HasError(result, "models.m.name", "macro '${PORT}' should have been substituted in m.name");
    }

    [Fact]
    public void LoadYaml_MacroInsideCmdCommentLine_NotExpandedNorRequired()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: |
                  # ${undefined} is only mentioned in a comment
                  svr --port ${PORT}
                    # indented comment ${alsoUndefined}
                  --flag
            """);

        Assert.Equal(["svr", "--port", "5800", "--flag"], config.Models["m"].Command);
        Assert.DoesNotContain("#", config.Models["m"].CmdText, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_SharedAnchorAcrossModels_SubstitutedPerModel()
    {
        var config = ConfigAssert.Loads("""
            models:
              a:
                cmd: &cmd svr --name ${MODEL_ID} --port ${PORT}
              b:
                cmd: *cmd
            """);

        Assert.Equal("svr --name a --port 5800", config.Models["a"].CmdText);
        Assert.Equal("svr --name b --port 5801", config.Models["b"].CmdText);
    }
}
