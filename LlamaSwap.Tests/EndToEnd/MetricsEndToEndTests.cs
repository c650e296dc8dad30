using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary><c>GET /metrics</c> through the auth proxy: Prometheus text whose token counters follow real requests.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MetricsEndToEndTests
{
    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          counted:
            cmd: {{{LlamaSwapStack.UpstreamCommand("counted", "--respond 'one two three four' --chunks 4")}}}
        """;

    [Fact]
    public async Task TokenCounters_GrowByTheUsageTheUpstreamReported_StreamingAndNot()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        var before = await ScrapeAsync(stack);
        Assert.Null(before.Value("llamaswap_tokens_input_total", ("model", "counted")));

        using var plain = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", Chat(stream: false));
        plain.EnsureSuccessStatusCode();
        var usage = JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var input = usage.GetProperty("prompt_tokens").GetInt64();
        var output = usage.GetProperty("completion_tokens").GetInt64();
        Assert.True(input > 0 && output > 0, "the test upstream reports usage");

        // Streamed with include_usage: the same prompt and reply, so the same usage, read from the last chunk.
        using var streamed = await stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions", Chat(stream: true));
        streamed.EnsureSuccessStatusCode();
        var sse = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("\"usage\"", sse, StringComparison.Ordinal);

        PrometheusText? after = null;
        await Eventually.TrueAsync(
            async () =>
            {
                after = await ScrapeAsync(stack);
                return after.Value("llamaswap_requests_total", ("model", "counted"), ("status_code", "200")) == 2;
            },
            "both requests were counted",
            TimeSpan.FromSeconds(20));

        Assert.Equal(2 * input, after!.Value("llamaswap_tokens_input_total", ("model", "counted")));
        Assert.Equal(2 * output, after.Value("llamaswap_tokens_output_total", ("model", "counted")));
        Assert.Equal("counter", after.TypeOf["llamaswap_tokens_input_total"]);
        Assert.Equal(2, after.Value("llamaswap_time_to_first_token_seconds_count", ("model", "counted")));
        Assert.Equal(1, after.Value("llamaswap_models_loaded"));
        Assert.NotNull(after.Value("llamaswap_memory_total_bytes"));
    }

    private static StringContent Chat(bool stream) => new(
        $$"""{"model":"counted","stream":{{(stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"count these words please"}]}""",
        Encoding.UTF8,
        "application/json");

    private static async Task<PrometheusText> ScrapeAsync(LlamaSwapStack stack)
    {
        using var response = await stack.Client.GetAsync(stack.FrontDoor + "/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
