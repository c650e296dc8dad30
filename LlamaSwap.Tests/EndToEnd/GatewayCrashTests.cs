using System.Text;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>A gateway killed mid-response must not pin its model at the supervisor forever.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class GatewayCrashTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          long:
            cmd: {{{LlamaSwapStack.UpstreamCommand("long", "--respond 'a b c d e f g h i j' --chunks 10 --chunk-delay-ms 1000")}}}
          next:
            cmd: {{{LlamaSwapStack.UpstreamCommand("next", "--respond next")}}}
        """;

    [Fact]
    public async Task GatewayKilledMidStream_ItsLeaseExpires_AndTheModelCanBeSwappedOut()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml, environment: new Dictionary<string, string>
        {
            ["Supervisor__GatewayTimeoutSeconds"] = "2",
            ["Gateway__HeartbeatSeconds"] = "0.5",
        });
        var body = """{"model":"long","stream":true,"messages":[{"role":"user","content":"go"}]}""";
        using (var request = new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        using (var stream = await stack.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            if (!stream.IsSuccessStatusCode)
            {
                // Read the body only on failure: reading it would wait out the whole stream.
                Assert.Fail($"{(int)stream.StatusCode} {await stream.Content.ReadAsStringAsync()}\n{stack.Diagnostics()}");
            }

            await stack.Gateway.KillAsync();
        }

        await stack.RestartGatewayAsync();
        var next = """{"model":"next","messages":[{"role":"user","content":"hi"}]}""";
        using var response = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(next, Encoding.UTF8, "application/json"))
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(stack.Supervisor.Output.Contains("silent for 2s", StringComparison.Ordinal), stack.Diagnostics());
        await Eventually.TrueAsync(async () => !(await stack.RunningAsync()).Contains("long"), "the orphaned model was swapped out");
    }
}
