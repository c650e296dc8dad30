using System.Text;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Every upstream process dies with its supervisor (what a crashed one leaves: <see cref="SupervisorCrashTests"/>).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class NoOrphansTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          x:
            cmd: {{{LlamaSwapStack.UpstreamCommand("x")}}}
          y:
            cmd: {{{LlamaSwapStack.UpstreamCommand("y", "--ignore-sigterm")}}}
            unloadTimeout: 1
        groups:
          both:
            swap: false
            members: [x, y]
        """;

    [Fact]
    public async Task SupervisorStop_StopsEveryUpstream_IncludingOneIgnoringSigterm()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        await LoadAsync(stack, "x");
        await LoadAsync(stack, "y");
        var pids = stack.AllUpstreamPids();
        Assert.Equal(2, pids.Count);
        Assert.All(pids, pid => Assert.True(ProcFs.IsAlive(pid)));

        await stack.Supervisor.StopAsync();

        Assert.True(stack.Supervisor.HasExited);
        Assert.All(pids, pid => Assert.False(ProcFs.IsAlive(pid), $"upstream {pid} outlived its supervisor"));
    }

    private static async Task LoadAsync(LlamaSwapStack stack, string model)
    {
        var body = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";
        using var response = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{model}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{stack.Diagnostics()}");
    }
}
