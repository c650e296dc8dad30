using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Per-key limits and usage on the real stack: auth proxy and gateway share the counters through Redis.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KeyLimitsEndToEndTests
{
    // Shared, so a response still being streamed never outlives its client.
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(60) };

    private const string RpmKey = "sk-e2e-two-per-minute";
    private const string UsageKey = "sk-e2e-usage";
    private const string OneAtATimeKey = "sk-e2e-one-at-a-time";

    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
          - {key: {{{RpmKey}}}, name: rpm-key, requestsPerMinute: 2}
          - {key: {{{UsageKey}}}, name: usage-key}
          - {key: {{{OneAtATimeKey}}}, name: single, maxConcurrent: 1}
        models:
          words:
            cmd: {{{LlamaSwapStack.UpstreamCommand("words", "--respond 'alpha beta gamma delta'")}}}
          slow:
            cmd: {{{LlamaSwapStack.UpstreamCommand("slow", "--respond 'a b c d e' --chunks 5 --chunk-delay-ms 300")}}}
        """;

    [Fact]
    public async Task RequestsPerMinute_TheThirdRequestIs429WithRetryAfter()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);

        // A minute boundary between the requests resets the window: keep going until refused (at most
        // two windows' worth), then check the refusal itself.
        HttpResponseMessage? refused = null;
        var admitted = 0;
        for (var i = 0; i < 5 && refused is null; i++)
        {
            var response = await SendAsync(stack, RpmKey, Chat("words", stream: false));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                admitted++;
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(admitted >= 2, $"only {admitted} admitted before the 429");
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After {retryAfter}");
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("rate_limit_exceeded", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        // Another key is not affected by this one's window.
        using var other = await SendAsync(stack, UsageKey, Chat("words", stream: false));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TwoAuthProxyProcesses_ShareOneLimitThroughRedis()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        await using var replica = await stack.StartExtraAuthProxyAsync();

        // Alternate the two front doors: each alone would admit 2 a minute, together they admit 2.
        var statuses = new List<HttpStatusCode>();
        var minuteBefore = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute;
        for (var i = 0; i < 6; i++)
        {
            var front = i % 2 == 0 ? stack.FrontDoor : replica.Url;
            using var response = await SendAsync(stack, RpmKey, Chat("words", stream: false), frontDoor: front);
            statuses.Add(response.StatusCode);
        }

        var sameMinute = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute == minuteBefore;
        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(6, admitted + statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // Within one window exactly two, whichever proxy took them; a window change mid-loop allows two more.
        Assert.True(sameMinute ? admitted == 2 : admitted <= 4, $"{string.Join(", ", statuses)} (same minute: {sameMinute})");
    }

    [Fact]
    public async Task MaxConcurrent_AStreamHoldsTheOnlySlotUntilItEnds()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        using var stream = await SendAsync(stack, OneAtATimeKey, Chat("slow", stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        using (var second = await SendAsync(stack, OneAtATimeKey, Chat("words", stream: false)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.NotNull(second.Headers.RetryAfter);
        }

        Assert.Contains("[DONE]", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () =>
            {
                using var again = await SendAsync(stack, OneAtATimeKey, Chat("words", stream: false));
                return again.StatusCode == HttpStatusCode.OK;
            },
            "the stream's slot was given back",
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Usage_PerKeyMatchesWhatTheUpstreamReported_StreamingAndNot()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml);
        long input = 0, output = 0;
        foreach (var stream in new[] { false, true, false })
        {
            using var response = await SendAsync(stack, UsageKey, Chat("words", stream));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var usage = stream ? LastUsage(body) : JsonDocument.Parse(body).RootElement.GetProperty("usage");
            input += usage.GetProperty("prompt_tokens").GetInt64();
            output += usage.GetProperty("completion_tokens").GetInt64();
        }

        // Another key's request is not attributed to this one.
        using (var admin = await SendAsync(stack, LlamaSwapStack.ApiKey, Chat("words", stream: false)))
        {
            admin.EnsureSuccessStatusCode();
        }

        JsonElement row = default;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await SendAsync(stack, LlamaSwapStack.ApiKey, null, path: "/api/usage?key=usage-key", method: HttpMethod.Get);
                response.EnsureSuccessStatusCode();
                var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
                row = rows.EnumerateArray().FirstOrDefault(r => r.GetProperty("key").GetString() == "usage-key" && r.GetProperty("model").GetString() == "words");
                return row.ValueKind == JsonValueKind.Object && row.GetProperty("requests").GetInt64() == 3;
            },
            "the three requests were attributed to usage-key",
            TimeSpan.FromSeconds(20));

        Assert.Equal(input, row.GetProperty("input_tokens").GetInt64());
        Assert.Equal(output, row.GetProperty("output_tokens").GetInt64());

        // The usage API is an admin route: the usage key itself has every scope, a read-only key would not.
        using var metrics = await SendAsync(stack, LlamaSwapStack.ApiKey, null, path: "/metrics", method: HttpMethod.Get);
        var text = PrometheusText.Parse(await metrics.Content.ReadAsStringAsync());
        Assert.Equal(output, text.Value("llamaswap_key_tokens_output_total", ("key", "usage-key"), ("model", "words")));
    }

    private static JsonElement LastUsage(string sse)
        => sse.Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement)
            .Last(e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            .GetProperty("usage");

    private static StringContent Chat(string model, bool stream) => new(
        $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"how many tokens is this"}]}""",
        Encoding.UTF8,
        "application/json");

    private static async Task<HttpResponseMessage> SendAsync(
        LlamaSwapStack stack,
        string key,
        HttpContent? content,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        string path = "/v1/chat/completions",
        HttpMethod? method = null,
        string? frontDoor = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, (frontDoor ?? stack.FrontDoor) + path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Client.SendAsync(request, completion);
    }
}
