using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class PortAssignmentTests
{
    [Fact]
    public void LoadYaml_ModelsUsingPort_GetConsecutivePortsInSortedIdOrderFromDefault5800()
    {
        var config = ConfigAssert.Loads("""
            models:
              model2:
                cmd: svr --port ${PORT}
                proxy: http://172.11.22.33:${PORT}
              model1:
                cmd: svr --port ${PORT}
              model3:
                cmd: svr --port 1999
                proxy: http://1.2.3.4:1999
            """);

        Assert.Equal(5800, config.StartPort);
        Assert.Equal(["svr", "--port", "5800"], config.Models["model1"].Command);
        Assert.Equal(new Uri("http://localhost:5800"), config.Models["model1"].Proxy);
        Assert.Equal("svr --port 5801", config.Models["model2"].CmdText);
        Assert.Equal(new Uri("http://172.11.22.33:5801"), config.Models["model2"].Proxy);
        Assert.Equal("svr --port 1999", config.Models["model3"].CmdText);
        Assert.Equal(new Uri("http://1.2.3.4:1999"), config.Models["model3"].Proxy);
    }

    [Fact]
    public void LoadYaml_StartPortSet_CounterStartsThere()
    {
        var config = ConfigAssert.Loads("""
            startPort: 9000
            models:
              b: { cmd: "svr ${PORT}" }
              a: { cmd: "svr ${PORT}" }
            """);

        Assert.Equal(new Uri("http://localhost:9000"), config.Models["a"].Proxy);
        Assert.Equal(new Uri("http://localhost:9001"), config.Models["b"].Proxy);
    }

    [Fact]
    public void LoadYaml_StartPortFromGlobalMacro_IsUsed()
    {
        var config = ConfigAssert.Loads("""
            macros:
              base: 7000
            startPort: ${base}
            models:
              a: { cmd: "svr ${PORT}" }
            """);

        Assert.Equal(7000, config.StartPort);
        Assert.Equal("svr 7000", config.Models["a"].CmdText);
    }

    [Fact]
    public void LoadYaml_PortEverywhereInModel_SubstitutedWithTheSamePort()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr --port ${PORT}
                cmdStop: stop --port ${PORT} --pid ${PID}
                checkEndpoint: /health/${PORT}
                aliases: ["m-${PORT}"]
                env: ["MYPORT=${PORT}"]
                name: m on ${PORT}
                description: port ${PORT}
            """);

        var model = config.Models["m"];
        Assert.Equal(["stop", "--port", "5800", "--pid", "${PID}"], model.StopCommand);
        Assert.Equal("/health/5800", model.CheckEndpoint);
        Assert.Equal(["m-5800"], model.Aliases);
        Assert.Equal([new KeyValuePair<string, string>("MYPORT", "5800")], model.Env);
        Assert.Equal("m on 5800", model.Name);
        Assert.Equal("port 5800", model.Description);
    }

    [Theory]
    [InlineData("abcd", "expected an integer, got \"abcd\"")]
    [InlineData("-99", "startPort must be greater than 1")]
    [InlineData("0", "startPort must be greater than 1")]
    public void LoadYaml_BadStartPort_Rejected(string value, string message)
    {
        var result = ConfigAssert.Fails($$"""
            startPort: {{value}}
            models:
              a: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, "startPort", message);
    }

    [Fact]
    public void LoadYaml_NoPortInCmdAndNoProxy_DisablesTheModelWithLlamaSwapsMessage()
    {
        var config = ConfigAssert.Loads("""
            models:
              model1:
                cmd: svr --port 111
              model2:
                cmd: svr --port ${PORT}
            """);

        Assert.Equal("model model1: proxy uses ${PORT} but cmd does not - ${PORT} is only available when used in cmd", config.Models["model1"].DisabledReason);
        Assert.Null(config.Models["model2"].DisabledReason);
        Assert.Equal(new Uri("http://localhost:5800"), config.Models["model2"].Proxy);
    }

    [Fact]
    public void LoadYaml_PortInProxyButNotInCmd_WarnsAndDisablesTheModel()
    {
        var result = ConfigLoader.LoadYaml("""
            models:
              model1:
                cmd: svr --port 111
                proxy: http://127.0.0.1:${PORT}
            """, new Dictionary<string, string>());

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        ConfigAssert.HasWarning(result, "models.model1.proxy", "proxy uses ${PORT} but cmd does not");
        Assert.NotNull(result.Config!.Models["model1"].DisabledReason);
    }

    [Fact]
    public void LoadYaml_PortOnlyInCommentLine_DoesNotConsumeAPort()
    {
        var config = ConfigAssert.Loads("""
            models:
              a:
                cmd: |
                  # svr --port ${PORT}
                  svr --port 1234
                proxy: http://localhost:1234
              b:
                cmd: svr --port ${PORT}
            """);

        Assert.Equal("svr --port 1234", config.Models["a"].CmdText);
        Assert.Equal(new Uri("http://localhost:5800"), config.Models["b"].Proxy);
    }
}
