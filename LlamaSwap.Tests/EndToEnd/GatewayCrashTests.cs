using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>A gateway killed mid-response must not pin its model at the supervisor forever, nor leave the front door broken.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class GatewayCrashTests(ITestOutputHelper output)
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

    [Fact]
    public async Task GatewayDown_TheAuthProxyAnswers503WithRetryAfterAtOnce_AndServesAgainOnceTheGatewayIsBack()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        var body = """{"model":"next","messages":[{"role":"user","content":"hi"}]}""";

        // Warm the proxy's pool: these connections to the gateway die with it.
        for (var i = 0; i < 3; i++)
        {
            using var warm = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(warm.IsSuccessStatusCode, stack.Diagnostics());
        }

        await stack.Gateway.KillAsync();

        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var refused = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"))
                .WaitAsync(TimeSpan.FromSeconds(10));
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)refused.StatusCode} {text}");
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            using var json = JsonDocument.Parse(text);
            Assert.Equal("service_unavailable", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        output.WriteLine($"slowest 503 with the gateway down: {slowest.TotalMilliseconds:0.0} ms");

        // A refused connect on loopback takes microseconds; a second would mean something waits.
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"the 503 took {slowest.TotalMilliseconds:0} ms");

        await stack.RestartGatewayAsync();
        for (var i = 0; i < 3; i++)
        {
            using var served = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(served.IsSuccessStatusCode, $"{(int)served.StatusCode} {await served.Content.ReadAsStringAsync()}\n{stack.Diagnostics()}");
        }
    }
}
