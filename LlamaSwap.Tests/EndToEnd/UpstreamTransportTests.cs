using System.Diagnostics;
using System.Text;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// What the path to an upstream costs, seen from a client: no delayed-ACK stall in front of a server
/// that does not set TCP_NODELAY, and timing headers that account for the whole wait.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpstreamTransportTests
{
    private const int Requests = 25;

    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          nagle:
            cmd: {{{LlamaSwapStack.UpstreamCommand("nagle", "--split-writes")}}}
          slow:
            cmd: {{{LlamaSwapStack.UpstreamCommand("slow", "--startup-delay-ms 400")}}}
        groups:
          all:
            swap: false
            members: [nagle, slow]
        """;

    [Fact]
    public async Task SplitWritesWithoutNoDelay_ThroughTheChain_NoDelayedAckStall_WhileADirectKeptAliveClientStalls()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        using var warm = await PostChatAsync(stack.Client, stack.FrontDoor, "nagle");
        Assert.True(warm.IsSuccessStatusCode, stack.Diagnostics());
        var upstreamPort = stack.StartPort; // "nagle" sorts first

        using var direct = new HttpClient();
        var directMs = new List<double>();
        var chainMs = new List<double>();

        // Back to back, as a client of a kept-alive connection sends them: a request that follows its
        // response at once is what makes Linux delay the next ACK (interleaving the two would hide it).
        for (var i = 0; i < Requests; i++)
        {
            directMs.Add(await TimeAsync(direct, $"http://127.0.0.1:{upstreamPort}", "nagle"));
        }

        for (var i = 0; i < Requests; i++)
        {
            chainMs.Add(await TimeAsync(stack.Client, stack.FrontDoor, "nagle"));
        }

        var directP50 = Median(directMs);
        var chainP50 = Median(chainMs);

        // The fake reproduces cpp-httplib's stall (Linux delays an ACK by at least 40 ms)...
        Assert.True(directP50 >= 30, $"a direct kept-alive client should stall on the split writes: p50 {directP50:0.0} ms");

        // ...and the chain (two more hops) does not wait on it. Each answer costs the fake about
        // 2-5 ms (a timer between its two sends); a stall would put the median above 40 ms.
        var stalled = chainMs.Count(ms => ms >= 40);
        Assert.True(
            chainP50 < 25 && stalled <= Requests / 5,
            $"through the chain p50 {chainP50:0.0} ms, {stalled} of {Requests} at 40 ms or more (direct p50 {directP50:0.0} ms): a delayed-ACK stall");
    }

    [Fact]
    public async Task TimingHeaders_AddUpToTheWaitBeforeTheUpstreamsFirstByte_ColdStartIncluded()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);

        // Warm the path (JIT, connections) with the other model: what is timed is the cold start alone.
        for (var i = 0; i < 3; i++)
        {
            using var warm = await PostChatAsync(stack.Client, stack.FrontDoor, "nagle");
            Assert.True(warm.IsSuccessStatusCode, stack.Diagnostics());
        }

        var clock = Stopwatch.StartNew();
        using var response = await PostChatAsync(stack.Client, stack.FrontDoor, "slow");
        var waited = clock.Elapsed.TotalMilliseconds;

        Assert.True(response.IsSuccessStatusCode, stack.Diagnostics());
        var timing = TimingHeaders.Read(response);
        var detail = timing.Against(waited);

        Assert.True(timing.Load >= 400, "the load covers the upstream's 400 ms start: " + detail);
        Assert.True(timing.Sum <= waited, "the headers claim more than the client waited: " + detail);

        // What is left is the auth proxy's hop and the client's own: a few ms, never a hidden stall.
        Assert.True(waited - timing.Sum < 25, "the headers under-report the wait: " + detail);
    }

    private static async Task<double> TimeAsync(HttpClient client, string baseUrl, string model)
    {
        var clock = Stopwatch.StartNew();
        using var response = await PostChatAsync(client, baseUrl, model);
        await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{baseUrl}: {(int)response.StatusCode}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string baseUrl, string model)
        => client.PostAsync(
            baseUrl + "/v1/chat/completions",
            new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
