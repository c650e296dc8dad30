using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary>A model that runs a container needs cmdStop: stopping the client does not always stop the container.</summary>
public sealed class ContainerCommandTests
{
    [Theory]
    [InlineData("docker run --rm --name ${MODEL_ID} img --port ${PORT}", "docker")]
    [InlineData("/usr/bin/docker run --rm img --port ${PORT}", "docker")]
    [InlineData("docker container run --rm img --port ${PORT}", "docker")]
    [InlineData("podman run --rm img --port ${PORT}", "podman")]
    public void LoadYaml_ContainerRunWithoutCmdStop_WarnsThatTheContainerCanOutliveTheSwap(string cmd, string client)
    {
        var result = ConfigLoader.LoadYaml($$"""
            models:
              m:
                cmd: {{cmd}}
                unloadTimeout: 7
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var warning = Assert.Single(result.Warnings, w => w.Path == "models.m.cmd");
        Assert.Contains($"stopping the model signals the {client} client, not the container", warning.Message, StringComparison.Ordinal);
        Assert.Contains("within unloadTimeout (7 s) the client is killed with SIGKILL", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"add `cmdStop: {client} stop ${{MODEL_ID}}`", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker run --rm --name ${MODEL_ID} img --port ${PORT}", "docker stop ${MODEL_ID}")]
    [InlineData("podman run --rm --name ${MODEL_ID} img --port ${PORT}", "podman stop ${MODEL_ID}")]
    public void LoadYaml_ContainerRunWithCmdStop_NoWarning(string cmd, string cmdStop)
    {
        var result = ConfigLoader.LoadYaml($$"""
            models:
              m:
                cmd: {{cmd}}
                cmdStop: {{cmdStop}}
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(cmdStop.Replace("${MODEL_ID}", "m", StringComparison.Ordinal), string.Join(' ', result.Config!.Models["m"].StopCommand!));
    }

    [Theory]
    [InlineData("docker-model-server --port ${PORT}")]
    [InlineData("llama-server --port ${PORT} --alias docker run")]
    [InlineData("docker ps --port ${PORT}")]
    public void LoadYaml_CommandThatIsNotAContainerRun_NoWarning(string cmd)
    {
        var result = ConfigLoader.LoadYaml($$"""
            models:
              m:
                cmd: {{cmd}}
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.DoesNotContain(result.Warnings, w => w.Path == "models.m.cmd");
    }
}
