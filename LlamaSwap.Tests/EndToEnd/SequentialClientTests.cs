using System.Net;
using System.Text;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// A client that waits for each response before sending the next must never hit the concurrency
/// limit: the lease has to be released before the response ends (regression: releases sent in the
/// background could lag behind the next request, and the benchmark got 429 after ten of them).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SequentialClientTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          one:
            cmd: {{{LlamaSwapStack.UpstreamCommand("one")}}}
            concurrencyLimit: 1
        """;

    [Fact]
    public async Task SequentialRequests_AtConcurrencyLimitOne_AreNeverRefused()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        var statuses = new Dictionary<HttpStatusCode, int>();

        for (var i = 0; i < 200; i++)
        {
            using var response = await stack.Client.PostAsync(
                stack.FrontDoor + "/v1/chat/completions",
                new StringContent("""{"model":"one","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
        }

        Assert.Equal(200, statuses.GetValueOrDefault(HttpStatusCode.OK));
    }
}
