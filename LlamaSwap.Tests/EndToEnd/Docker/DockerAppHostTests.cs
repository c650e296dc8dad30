using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.Docker;

/// <summary>The AppHost serving a <c>docker run</c> model leaves no container when it stops.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerAppHostTests(DockerFixture fixture)
{
    [DockerFact]
    public async Task AppHostSigterm_LeavesNoContainer()
    {
        var directory = Directory.CreateTempSubdirectory("llamaswap-docker-apphost-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, DockerModels.Yaml(withApiKey: false).Replace("{{startPort}}", FreePorts.Block(5).ToString(), StringComparison.Ordinal));
            await using var appHost = await RunningAppHost.StartAsync(config, fixture.Engine.ClientEnvironment);
            await appHost.ChatAsync("docker-a");
            Assert.Equal(["docker-a"], await fixture.Engine.ContainerNamesAsync());

            PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigTerm);

            Assert.Equal(0, await appHost.WaitForExitAsync());
            await DockerModels.AssertNothingLeftAsync(fixture.Engine, () => appHost.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
