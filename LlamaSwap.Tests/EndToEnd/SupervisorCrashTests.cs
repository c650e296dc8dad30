using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// A supervisor killed with SIGKILL and started again on the same port (what the AppHost does):
/// streams on its upstreams go on, the new supervisor adopts the upstreams it can and kills the rest,
/// and requests arriving in the gap wait for it (or get a 503 with Retry-After).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SupervisorCrashTests(ITestOutputHelper output)
{
    /// <summary>SIGSTOP (Linux): the process stays alive but answers nothing, not even its health check.</summary>
    private const int SigStop = 19;

    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          long:
            cmd: {{{LlamaSwapStack.UpstreamCommand("long", "--respond 'a b c d e f g h i j' --chunks 10 --chunk-delay-ms 300")}}}
          next:
            cmd: {{{LlamaSwapStack.UpstreamCommand("next", "--respond next")}}}
        """;

    [Fact]
    public async Task SupervisorKilledMidStream_TheStreamFinishes_AndTheNextSupervisorAdoptsTheUpstream()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml, environment: new Dictionary<string, string>
        {
            // Long enough to span the restart below: a request in the gap waits instead of failing.
            ["Gateway__SupervisorWaitSeconds"] = "60",
        });

        using var stream = await SendAsync(stack, "long", stream: true);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        var pid = Assert.Single(stack.AllUpstreamPids());

        await stack.Supervisor.KillAsync();
        var gap = Stopwatch.StartNew();

        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("data: [DONE]", rest, StringComparison.Ordinal);
        Assert.True(ProcFs.IsAlive(pid), "the upstream outlived its supervisor");

        // Arrives while no supervisor runs: the gateway keeps it until one answers.
        var waiting = SendAsync(stack, "long", stream: false);
        await Eventually.TrueAsync(
            () => stack.Gateway.Output.Contains("Supervisor unreachable while acquiring long", StringComparison.Ordinal),
            "the gateway found the supervisor gone", TimeSpan.FromSeconds(20));
        Assert.False(waiting.IsCompleted, "a request in the gap must wait for the supervisor, not fail");

        var restart = Stopwatch.StartNew();
        await stack.RestartSupervisorAsync();
        output.WriteLine($"supervisor restart until healthy (adoption included): {restart.ElapsedMilliseconds} ms");

        using (var served = await waiting.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.True(served.IsSuccessStatusCode, $"{(int)served.StatusCode} {await served.Content.ReadAsStringAsync()}\n{stack.Diagnostics()}");
        }

        output.WriteLine($"kill -> request in the gap served by the adopted upstream: {gap.ElapsedMilliseconds} ms (includes the stream's remaining ~3 s)");

        Assert.Contains($"long: adopted upstream pid {pid} left running by supervisor pid", stack.Supervisor.Output, StringComparison.Ordinal);
        var state = await stack.SupervisorStateOfAsync("long");
        Assert.Equal(ModelStates.Ready, state.State);
        Assert.Equal(pid, state.Pid);
        Assert.EndsWith($":{stack.Supervisor.Pid}", state.Supervisor, StringComparison.Ordinal);
        Assert.Contains("long", await stack.RunningAsync());
        Assert.Equal(1, stack.StartsOf("long"));
        Assert.Equal(2, stack.RequestsReceivedBy("long").Count);

        // Adopted, it is swapped out like any other: the swap stops it (SIGTERM to its group).
        using (var next = await SendAsync(stack, "next", stream: false))
        {
            Assert.True(next.IsSuccessStatusCode, stack.Diagnostics());
        }

        Assert.False(ProcFs.IsAlive(pid), "the swap stopped the adopted upstream before serving the next model");
        await stack.UnloadAllAsync();
        Assert.All(stack.AllUpstreamPids(), p => Assert.False(ProcFs.IsAlive(p), $"upstream {p} is still running"));
        await Eventually.TrueAsync(
            () => !Directory.Exists(Path.Combine(stack.RunDirectory, "upstreams")) || Directory.GetFiles(Path.Combine(stack.RunDirectory, "upstreams")).Length == 0,
            "every pid record is gone with its upstream");
    }

    [Fact]
    public async Task NextSupervisor_KillsALeftoverWhoseModelChanged_AndOneThatFailsItsHealthCheck()
    {
        var yaml = """
            healthCheckTimeout: 30
            startPort: {{startPort}}
            apiKeys: ["KEY"]
            models:
              x:
                cmd: X
              y:
                cmd: Y
            groups:
              both:
                swap: false
                members: [x, y]
            """.Replace("KEY", LlamaSwapStack.ApiKey, StringComparison.Ordinal)
            .Replace("cmd: Y", "cmd: " + LlamaSwapStack.UpstreamCommand("y"), StringComparison.Ordinal);
        await using var stack = await LlamaSwapStack.StartAsync(yaml.Replace("cmd: X", "cmd: " + LlamaSwapStack.UpstreamCommand("x"), StringComparison.Ordinal));
        await LoadAsync(stack, "x");
        await LoadAsync(stack, "y");
        var x = Assert.Single(stack.EventsOf("x"), e => e.GetProperty("event").GetString() == "started").GetProperty("pid").GetInt32();
        var y = Assert.Single(stack.EventsOf("y"), e => e.GetProperty("event").GetString() == "started").GetProperty("pid").GetInt32();

        await stack.Supervisor.KillAsync();
        PosixSignals.SignalProcess(y, SigStop);
        await stack.WriteConfigAsync(yaml.Replace("cmd: X", "cmd: " + LlamaSwapStack.UpstreamCommand("x", "--respond changed"), StringComparison.Ordinal));
        await stack.RestartSupervisorAsync();

        Assert.False(ProcFs.IsAlive(x), "the leftover of a changed model is killed before the new supervisor serves");
        Assert.False(ProcFs.IsAlive(y), "a leftover that does not answer its health check is killed");
        Assert.Contains($"x: killing leftover upstream pid {x}: the model's command, environment or address changed", stack.Supervisor.Output, StringComparison.Ordinal);
        Assert.Contains($"y: killing leftover upstream pid {y}: it did not answer its health check within 3s", stack.Supervisor.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("adopted upstream", stack.Supervisor.Output, StringComparison.Ordinal);
        // The new supervisor publishes every model as stopped; the gateway hears it over Redis, a moment later.
        await Eventually.TrueAsync(async () => (await stack.RunningAsync()).Count == 0, "the gateway shows nothing running");

        var body = await LoadAsync(stack, "x");
        Assert.Contains("changed", body, StringComparison.Ordinal);
        Assert.Equal(2, stack.StartsOf("x"));
    }

    [Fact]
    public async Task SupervisorDown_TheGatewayAnswers503WithRetryAfter_AfterItsBoundedWait()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml, environment: new Dictionary<string, string>
        {
            ["Gateway__SupervisorWaitSeconds"] = "1",
        });
        await LoadAsync(stack, "next");
        await stack.Supervisor.KillAsync();

        var clock = Stopwatch.StartNew();
        using (var refused = await SendAsync(stack, "next", stream: false).WaitAsync(TimeSpan.FromSeconds(20)))
        {
            var elapsed = clock.Elapsed;
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)refused.StatusCode} {body}");
            Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("service_unavailable", json.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.StartsWith("supervisor unavailable: ", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        }

        await stack.RestartSupervisorAsync();
        await LoadAsync(stack, "next");
        Assert.Equal(1, stack.StartsOf("next"));
    }

    private static Task<HttpResponseMessage> SendAsync(LlamaSwapStack stack, string model, bool stream)
        => stack.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions")
            {
                Content = new StringContent(
                    $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""",
                    Encoding.UTF8,
                    "application/json"),
            },
            HttpCompletionOption.ResponseHeadersRead);

    private static async Task<string> LoadAsync(LlamaSwapStack stack, string model)
    {
        using var response = await SendAsync(stack, model, stream: false);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{model}: {(int)response.StatusCode} {body}\n{stack.Diagnostics()}");
        return body;
    }
}
