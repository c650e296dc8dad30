using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.Docker;

/// <summary>
/// Models served as <c>docker run</c> upstreams the way the README recommends, from the test image,
/// and the checks every Docker test ends with.
/// </summary>
internal static class DockerModels
{
    /// <summary>Long enough for <c>docker stop</c> plus the engine's removal of the container; the usual case takes well under a second.</summary>
    private static readonly TimeSpan ContainerGoneBound = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The recommended pair: <c>--rm</c> so a stopped container frees its name, <c>--init</c> so
    /// signals reach llama-server, host networking for <c>${PORT}</c>, and <c>docker stop</c> to stop it.
    /// </summary>
    public const string Settings = $$"""
            cmd: docker run --rm --init --network host --name ${MODEL_ID} {{LlamaServerImage.Tag}} -m {{LlamaServerImage.Model}} --host 127.0.0.1 --port ${PORT} -c 512 -t 1
            cmdStop: docker stop ${MODEL_ID}
        """;

    /// <summary>
    /// Models <c>docker-a</c> and <c>docker-b</c> (and <c>docker-ttl</c>, unloaded 2 s after its last
    /// use) in one exclusive swap group; <c>docker-nostop</c>, alone, has no cmdStop (and a config warning);
    /// <c>docker-pulling</c> has a client that runs a second before it creates its container, as
    /// <c>docker run</c> does while it pulls the image.
    /// </summary>
    public static string Yaml(bool withApiKey = true) => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        {{{(withApiKey ? $"apiKeys: [\"{LlamaSwapStack.ApiKey}\"]" : "")}}}
        models:
          docker-a:
        {{{Settings}}}
          docker-b:
        {{{Settings}}}
          docker-ttl:
        {{{Settings}}}
            ttl: 2
          docker-nostop:
            cmd: docker run --rm --init --network host --name ${MODEL_ID} {{{LlamaServerImage.Tag}}} -m {{{LlamaServerImage.Model}}} --host 127.0.0.1 --port ${PORT} -c 512 -t 1
          docker-pulling:
            cmd: sh -c "sleep 1 && exec docker run --rm --init --network host --name ${MODEL_ID} {{{LlamaServerImage.Tag}}} -m {{{LlamaServerImage.Model}}} --host 127.0.0.1 --port ${PORT} -c 512 -t 1"
            cmdStop: docker stop ${MODEL_ID}
            unloadTimeout: 4
        groups:
          containers:
            members: [docker-a, docker-b, docker-ttl]
        """;

    /// <summary>A short chat completion through the front door: 200 with content.</summary>
    public static async Task ChatAsync(LlamaSwapStack stack, string model)
    {
        var body = $$"""{"model":"{{model}}","max_tokens":8,"messages":[{"role":"user","content":"hello"}]}""";
        using var response = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{model}: {(int)response.StatusCode} {text}\n{stack.Diagnostics()}");
        using var reply = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrEmpty(reply.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()), text);
    }

    /// <summary>Processes of our containers (docker-init, llama-server) and docker clients running our image.</summary>
    public static List<int> ContainerProcesses()
        => [.. ProcessTree.WithCommandLine(LlamaServerImage.Entrypoint).Union(ProcessTree.WithCommandLine(LlamaServerImage.Tag))];

    /// <summary>The llama-server process inside a running container.</summary>
    public static int ServerProcess()
        => Assert.Single(ProcessTree.WithCommandLine(LlamaServerImage.Entrypoint), pid => ProcessTree.CommandLine(pid).StartsWith(LlamaServerImage.Entrypoint, StringComparison.Ordinal));

    /// <summary>Waits, bounded, until the engine has no container (<c>docker ps -a</c>) and no process of one runs; fails with what is left.</summary>
    public static async Task AssertNothingLeftAsync(DockerEngine engine, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + ContainerGoneBound;
        while (true)
        {
            var containers = await engine.ContainerNamesAsync();
            var processes = ContainerProcesses();
            if (containers.Count == 0 && processes.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"left behind after {ContainerGoneBound.TotalSeconds} s: containers [{string.Join(", ", containers)}], "
                    + $"processes [{string.Join("; ", processes.Select(pid => $"{pid}: {ProcessTree.CommandLine(pid)}"))}]\n{diagnostics()}");
            }

            await Task.Delay(50);
        }
    }
}
