using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.EndToEnd;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>
/// <c>store.path</c> through real processes: two gateways (each behind its own auth proxy) on one file
/// and one Redis show the same activity, captures and <c>activity</c> events, and a restarted gateway
/// keeps them and numbers on.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SharedStoreEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        captureBuffer: 5
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        store:
          path: {{dir}}/activity.db
        models:
          plain:
            cmd: {{{LlamaSwapStack.UpstreamCommand("plain", "--respond 'alpha beta'")}}}
        """;

    [Fact]
    public async Task TwoGatewayProcesses_OneFile_SameActivityCapturesAndEvents_RestartKeepsThem()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 4);
        var (gateway2, proxy2) = await stack.StartExtraGatewayAsync();
        await using var secondGateway = gateway2;
        await using var secondProxy = proxy2;
        await using var eventsOnTwo = await ActivityEventsClient.ConnectAsync(stack.Client, proxy2.Url + "/api/events");

        var one = await ChatAsync(stack, stack.FrontDoor, "via-one");
        var two = await ChatAsync(stack, proxy2.Url, "via-two");

        Assert.True(two > one, $"ids from the shared file: {one} then {two}");
        Assert.Equal(await RowIdsAsync(stack, stack.FrontDoor), await RowIdsAsync(stack, proxy2.Url));
        Assert.Equal("via-one", await MarkerAsync(stack, proxy2.Url, one));
        Assert.Equal("via-two", await MarkerAsync(stack, stack.FrontDoor, two));
        await Eventually.TrueAsync(() => eventsOnTwo.Ids.Contains(one), "gateway two streams gateway one's row (Redis llamaswap:activity)", Deadline);
        using (var stats = await stack.GetJsonAsync("/api/metrics/stats"))
        {
            Assert.Equal(2, stats.RootElement.GetProperty("total_requests").GetInt32());
        }

        await stack.RestartGatewayAsync();

        Assert.Equal([two, one], await RowIdsAsync(stack, stack.FrontDoor));
        Assert.Equal("via-one", await MarkerAsync(stack, stack.FrontDoor, one));
        var three = await ChatAsync(stack, stack.FrontDoor, "after-restart");
        Assert.True(three > two, $"numbering goes on after a restart: {three} after {two}");
    }

    /// <summary>Sends a chat through <paramref name="frontDoor"/> and returns the id of its row (found by its capture).</summary>
    private static async Task<long> ChatAsync(LlamaSwapStack stack, string frontDoor, string marker)
    {
        using (var response = await stack.Client.PostAsync(
            frontDoor + "/v1/chat/completions",
            new StringContent($$"""{"model":"plain","messages":[{"role":"user","content":"{{marker}}"}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"chat -> {(int)response.StatusCode}\n{stack.Diagnostics()}");
            await response.Content.ReadAsStringAsync();
        }

        long found = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var id in await RowIdsAsync(stack, frontDoor))
                {
                    if (await MarkerAsync(stack, frontDoor, id) == marker)
                    {
                        found = id;
                        return true;
                    }
                }

                return false;
            },
            $"the request {marker} is recorded",
            Deadline);
        return found;
    }

    private static async Task<long[]> RowIdsAsync(LlamaSwapStack stack, string frontDoor)
    {
        using var response = await stack.Client.GetAsync(frontDoor + "/api/metrics/activity?limit=999");
        response.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. page.RootElement.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];
    }

    private static async Task<string?> MarkerAsync(LlamaSwapStack stack, string frontDoor, long id)
    {
        using var response = await stack.Client.GetAsync($"{frontDoor}/api/captures/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var capture = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(capture.RootElement.GetProperty("req_body").GetBytesFromBase64());
        return body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString();
    }
}
