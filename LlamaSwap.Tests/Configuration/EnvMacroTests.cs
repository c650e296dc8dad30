using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class EnvMacroTests
{
    [Fact]
    public void LoadYaml_EnvMacroSet_SubstitutedBeforeParsing()
    {
        var env = new Dictionary<string, string> { ["MODEL_DIR"] = "/srv/models", ["KEY"] = "sk-abc", ["BASE"] = "6000" };
        var config = ConfigAssert.Loads("""
            startPort: ${env.BASE}
            apiKeys: ["${env.KEY}"]
            models:
              m:
                cmd: svr -m ${env.MODEL_DIR}/x.gguf --port ${PORT}
            """, env);

        Assert.Equal(6000, config.StartPort);
        Assert.Equal(["sk-abc"], config.ApiKeys);
        Assert.Equal(["svr", "-m", "/srv/models/x.gguf", "--port", "6000"], config.Models["m"].Command);
    }

    [Fact]
    public void LoadYaml_EnvMacroUnset_ReportsItWithPath()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr -m ${env.MISSING_DIR}/x.gguf --port ${PORT}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("models.m.cmd", error.Path);
        Assert.Equal("environment variable 'MISSING_DIR' is not set", error.Message);
    }

    [Fact]
    public void LoadYaml_EnvMacroOnlyInYamlComment_Ignored()
    {
        var config = ConfigAssert.Loads("""
            # apiKeys: ["${env.NOT_SET}"]
            models:
              m:
                cmd: svr --port ${PORT} # trailing ${env.ALSO_NOT_SET}
            """);

        Assert.Equal("svr --port 5800", config.Models["m"].CmdText);
    }

    [Fact]
    public void LoadYaml_EnvMacroUnsetInIgnoredSection_StillAnError()
    {
        var result = ConfigAssert.Fails("""
            peers:
              openrouter:
                apiKey: ${env.OPENROUTER_API_KEY}
            models:
              m: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, "peers.openrouter.apiKey", "environment variable 'OPENROUTER_API_KEY' is not set");
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    public void LoadYaml_EnvValueWithLineBreakOrNul_Rejected(string value)
    {
        var result = ConfigAssert.Fails("""
            apiKeys: ["${env.KEY}"]
            models:
              m: { cmd: "svr ${PORT}" }
            """, new Dictionary<string, string> { ["KEY"] = value });

        ConfigAssert.HasError(result, "apiKeys[0]", "environment variable 'KEY' contains");
    }

    [Fact]
    public void LoadYaml_EnvValueWithQuoteAndBackslashInDoubleQuotedScalar_KeptVerbatim()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr --port ${PORT}
                name: "${env.NAME}"
                description: ${env.NAME}
            """, new Dictionary<string, string> { ["NAME"] = """a "quoted" C:\dir""" });

        Assert.Equal("""a "quoted" C:\dir""", config.Models["m"].Name);
        Assert.Equal("""a "quoted" C:\dir""", config.Models["m"].Description);
    }

    [Fact]
    public void LoadYaml_NoEnvironmentGiven_UsesProcessEnvironment()
    {
        var name = "LLAMASWAP_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            var result = ConfigLoader.LoadYaml($$"""
                models:
                  m:
                    cmd: svr --port ${PORT}
                    name: ${env.{{name}}}
                """);

            Assert.True(result.Succeeded, string.Join('\n', result.Errors));
            Assert.Equal("from-process", result.Config!.Models["m"].Name);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
