using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.Docker;

/// <summary>
/// <c>docker run</c> upstreams through the whole chain, against a real engine and the real
/// llama-server in a container: however a model stops, its container goes with it.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class DockerUpstreamTests(DockerFixture fixture) : IAsyncLifetime
{
    private DockerEngine Engine => fixture.Engine;

    [DockerFact]
    public async Task Swap_StopsTheFirstContainer_BeforeTheSecondServes()
    {
        await using var stack = await StartStackAsync();

        await DockerModels.ChatAsync(stack, "docker-a");
        Assert.Equal(["docker-a"], await Engine.ContainerNamesAsync());

        await DockerModels.ChatAsync(stack, "docker-b");
        // The swap completes only once a's docker client exited, and that waits for the engine to remove the container.
        Assert.Equal(["docker-b"], await Engine.ContainerNamesAsync());
        Assert.Equal(["docker-b"], await stack.RunningAsync());

        await stack.UnloadAllAsync();
        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    [DockerFact]
    public async Task Ttl_UnloadsTheModel_AndItsContainerGoes()
    {
        await using var stack = await StartStackAsync();

        await DockerModels.ChatAsync(stack, "docker-ttl");
        Assert.Equal(["docker-ttl"], await Engine.ContainerNamesAsync());

        await Eventually.TrueAsync(async () => (await stack.RunningAsync()).Count == 0, "the 2 s TTL unloaded docker-ttl", TimeSpan.FromSeconds(15));
        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    [DockerFact]
    public async Task UnloadAll_RemovesTheContainer()
    {
        await using var stack = await StartStackAsync();
        await DockerModels.ChatAsync(stack, "docker-a");
        Assert.Equal(["docker-a"], await Engine.ContainerNamesAsync());

        await stack.UnloadAllAsync();

        Assert.Empty(await stack.RunningAsync());
        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    [DockerFact]
    public async Task ServerCrashInsideTheContainer_NextRequestStartsANewContainer()
    {
        await using var stack = await StartStackAsync();
        await DockerModels.ChatAsync(stack, "docker-a");
        var firstContainer = await ContainerIdAsync("docker-a");

        // What an OOM kill looks like: llama-server dies, docker-init exits with it, the container stops.
        PosixSignals.SignalProcess(DockerModels.ServerProcess(), PosixSignals.SigKill);
        await Eventually.TrueAsync(async () => (await stack.RunningAsync()).Count == 0, "the supervisor saw docker-a's client exit", TimeSpan.FromSeconds(15));
        Assert.Empty(await Engine.ContainerNamesAsync());

        await DockerModels.ChatAsync(stack, "docker-a");
        var secondContainer = await ContainerIdAsync("docker-a");
        Assert.NotEqual(firstContainer, secondContainer);

        await stack.UnloadAllAsync();
        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    [DockerFact]
    public async Task WithoutCmdStop_UnloadSigtermReachesTheContainerThroughTheClient()
    {
        await using var stack = await StartStackAsync();
        await DockerModels.ChatAsync(stack, "docker-nostop");
        Assert.Equal(["docker-nostop"], await Engine.ContainerNamesAsync());

        // SIGTERM goes to the docker client's process group; its signal proxy passes it to the container.
        await stack.UnloadAllAsync();

        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    [DockerFact]
    public async Task UnloadBeforeTheContainerExists_StopsTheClient_SoNoContainerStartsAfterwards()
    {
        await using var stack = await StartStackAsync();
        var request = stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(
            """{"model":"docker-pulling","max_tokens":8,"messages":[{"role":"user","content":"hello"}]}""", System.Text.Encoding.UTF8, "application/json"));
        await Eventually.TrueAsync(() => ProcessTree.WithCommandLine("exec docker run").Count > 0, "docker-pulling's client is starting");

        // `docker stop` finds no container yet and fails; the client must not be left to start one.
        await stack.UnloadAllAsync();

        using (var response = await request)
        {
            Assert.False(response.IsSuccessStatusCode, $"the unloaded model answered {(int)response.StatusCode}");
        }

        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    [DockerFact]
    public async Task SupervisorSigterm_StopsTheContainer()
    {
        await using var stack = await StartStackAsync();
        await DockerModels.ChatAsync(stack, "docker-b");
        Assert.Equal(["docker-b"], await Engine.ContainerNamesAsync());

        await stack.Supervisor.StopAsync();

        Assert.True(stack.Supervisor.HasExited);
        await DockerModels.AssertNothingLeftAsync(Engine, stack.Diagnostics);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// A failed test must not fail the next ones with a container name in use: what is left goes
    /// here, after the test's own assertion that nothing is.
    /// </summary>
    public async Task DisposeAsync()
    {
        if (DockerEngine.MissingReason is null && (await Engine.ContainerNamesAsync()) is { Count: > 0 } leftovers)
        {
            await Engine.RunCheckedAsync(["rm", "--force", .. leftovers]);
        }
    }

    private Task<LlamaSwapStack> StartStackAsync()
        => LlamaSwapStack.StartAsync(DockerModels.Yaml(), environment: Engine.ClientEnvironment);

    private async Task<string> ContainerIdAsync(string name)
    {
        var id = (await Engine.RunCheckedAsync("ps", "--quiet", "--filter", $"name=^{name}$")).Trim();
        Assert.False(string.IsNullOrEmpty(id), $"no running container {name}");
        return id;
    }
}
