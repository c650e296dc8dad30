using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Its own stack: models whose test upstreams answer plain OpenAI, llama.cpp timings, gzip and Anthropic.</summary>
public sealed class ActivityStackFixture : IAsyncLifetime
{
    private LlamaSwapStack? _stack;

    internal LlamaSwapStack Stack => _stack ?? throw new InvalidOperationException("stack not started");

    private static string Yaml => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        captureBuffer: 5
        apiKeys:
          - "{{{LlamaSwapStack.ApiKey}}}"
        models:
          plain:
            cmd: {{{LlamaSwapStack.UpstreamCommand("plain", "--respond 'alpha beta gamma' --chunks 3")}}}
          timed:
            cmd: {{{LlamaSwapStack.UpstreamCommand("timed", "--timings --respond 'one two three four five' --chunks 2")}}}
          zipped:
            cmd: {{{LlamaSwapStack.UpstreamCommand("zipped", "--gzip --respond 'packed reply'")}}}
          native:
            cmd: {{{LlamaSwapStack.UpstreamCommand("native", "--respond 'hello from native side' --chunks 2")}}}
        groups:
          all:
            swap: false
            members: [plain, timed, zipped, native]
        """;

    public async Task InitializeAsync() => _stack = await LlamaSwapStack.StartAsync(Yaml, portCount: 6);

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

/// <summary>Activity rows, captures and timing headers through the whole stack (reference 2.4.2, 2.4.3).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ActivityEndToEndTests(ActivityStackFixture fixture) : IClassFixture<ActivityStackFixture>
{
    private static readonly TimeSpan RowDeadline = TimeSpan.FromSeconds(30);

    private LlamaSwapStack Stack => fixture.Stack;

    [Fact]
    public async Task Chat_NonStreaming_RowCarriesTheUpstreamsTokenCounts()
    {
        var after = await LastIdAsync();

        using var response = await PostJsonAsync("/v1/chat/completions", """{"model":"plain","messages":[{"role":"user","content":"one two three four"}]}""");
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = completion.RootElement.GetProperty("usage");

        var row = await NextRowAsync("plain", after);
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), row.GetProperty("tokens").GetProperty("input_tokens").GetInt64());
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), row.GetProperty("tokens").GetProperty("output_tokens").GetInt64());
        Assert.Equal("/v1/chat/completions", row.GetProperty("req_path").GetString());
        Assert.Equal(200, row.GetProperty("resp_status_code").GetInt32());
        Assert.False(row.GetProperty("streaming").GetBoolean());
        Assert.True(row.GetProperty("queue_wait_ms").GetDouble() >= 0);
        Assert.True(row.GetProperty("first_byte_ms").GetDouble() >= 0);
    }

    [Fact]
    public async Task Chat_Streaming_RowCarriesTheUsageFromTheLastChunk()
    {
        var after = await LastIdAsync();

        using var response = await PostJsonAsync(
            "/v1/chat/completions", """{"model":"plain","stream":true,"messages":[{"role":"user","content":"count to five please"}]}""");
        var usage = LastUsage(await response.Content.ReadAsStringAsync());

        var row = await NextRowAsync("plain", after);
        Assert.Equal(4, usage.Input);
        Assert.Equal(usage.Input, row.GetProperty("tokens").GetProperty("input_tokens").GetInt64());
        Assert.Equal(usage.Output, row.GetProperty("tokens").GetProperty("output_tokens").GetInt64());
        Assert.True(row.GetProperty("streaming").GetBoolean());
        Assert.StartsWith("text/event-stream", row.GetProperty("resp_content_type").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Messages_NativeAnthropicUpstream_RowCarriesInputAndOutputTokens(bool stream)
    {
        var after = await LastIdAsync();

        using var response = await PostJsonAsync(
            "/v1/messages",
            $$"""{"model":"native","max_tokens":32,"stream":{{(stream ? "true" : "false")}},"system":"be brief","messages":[{"role":"user","content":"say hello please"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        var row = await NextRowAsync("native", after);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // "be brief" + "say hello please"; the reply "hello from native side" (the test upstream counts words).
        Assert.Equal(5, row.GetProperty("tokens").GetProperty("input_tokens").GetInt64());
        Assert.Equal(4, row.GetProperty("tokens").GetProperty("output_tokens").GetInt64());
        Assert.Equal(stream, body.Contains("message_delta", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_LlamaCppTimings_OverrideCountsAndGiveSpeeds(bool stream)
    {
        var after = await LastIdAsync();

        using var response = await PostJsonAsync(
            "/v1/chat/completions",
            $$"""{"model":"timed","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"a b c d e f"}]}""");
        await response.Content.ReadAsStringAsync();

        var row = await NextRowAsync("timed", after);
        var tokens = row.GetProperty("tokens");
        Assert.Equal(6, tokens.GetProperty("input_tokens").GetInt64());
        Assert.Equal(5, tokens.GetProperty("output_tokens").GetInt64());
        Assert.Equal(1, tokens.GetProperty("cache_tokens").GetInt64());
        Assert.Equal(200, tokens.GetProperty("prompt_per_second").GetDouble(), 3);
        Assert.Equal(50, tokens.GetProperty("tokens_per_second").GetDouble(), 3);
        // llama.cpp's own 6 x 5 ms + 5 x 20 ms, when the wall time was shorter.
        Assert.True(row.GetProperty("duration_ms").GetInt64() >= 130);
    }

    [Fact]
    public async Task Chat_GzipResponse_ParsedAndCapturedDecoded()
    {
        var after = await LastIdAsync();
        using var request = JsonRequest(Stack.FrontDoor, "/v1/chat/completions", """{"model":"zipped","messages":[{"role":"user","content":"zip this"}]}""");
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await Stack.Client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using (var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress))
        {
            using var completion = await JsonDocument.ParseAsync(gzip);
            Assert.Equal("packed reply", completion.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        var row = await NextRowAsync("zipped", after);
        Assert.Equal(2, row.GetProperty("tokens").GetProperty("input_tokens").GetInt64());
        Assert.Equal(2, row.GetProperty("tokens").GetProperty("output_tokens").GetInt64());
        using var capture = await Stack.GetJsonAsync($"/api/captures/{row.GetProperty("id").GetInt64()}");
        var headers = capture.RootElement.GetProperty("resp_headers");
        Assert.DoesNotContain(headers.EnumerateObject(), h => h.Name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase));
        var body = Encoding.UTF8.GetString(capture.RootElement.GetProperty("resp_body").GetBytesFromBase64());
        Assert.Contains("packed reply", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_RedactsCredentialsAndKeepsBothBodies()
    {
        var after = await LastIdAsync();
        // Straight to the gateway: the auth proxy strips the client's key before it gets there.
        const string requestBody = """{"model":"plain","messages":[{"role":"user","content":"keep me"}]}""";
        using var request = JsonRequest(Stack.Gateway.Url, "/v1/chat/completions", requestBody);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-very-secret");
        request.Headers.Add("x-api-key", "sk-also-secret");
        request.Headers.Add("Cookie", "session=secret-cookie");
        request.Headers.Add("X-Session-ID", "visible-session");
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = await NextRowAsync("plain", after);
        Assert.True(row.GetProperty("has_capture").GetBoolean());
        using var capture = await Stack.GetJsonAsync($"/api/captures/{row.GetProperty("id").GetInt64()}");
        var root = capture.RootElement;
        var headers = root.GetProperty("req_headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("[REDACTED]", headers["Authorization"]);
        Assert.Equal("[REDACTED]", headers["x-api-key"]);
        Assert.Equal("[REDACTED]", headers["Cookie"]);
        Assert.Equal("visible-session", headers["X-Session-ID"]);
        Assert.DoesNotContain("secret", root.GetProperty("req_headers").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(requestBody, Encoding.UTF8.GetString(root.GetProperty("req_body").GetBytesFromBase64()));
        Assert.Contains("alpha beta gamma", Encoding.UTF8.GetString(root.GetProperty("resp_body").GetBytesFromBase64()), StringComparison.Ordinal);
        Assert.Equal("/v1/chat/completions", root.GetProperty("req_path").GetString());
    }

    [Fact]
    public async Task Captures_BadIdIs400_MissingIs404()
    {
        using var bad = await Stack.Client.GetAsync(Stack.FrontDoor + "/api/captures/abc");
        using var missing = await Stack.Client.GetAsync(Stack.FrontDoor + "/api/captures/987654321");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ProxiedResponse_CarriesNumericTimingHeaders()
    {
        using var response = await PostJsonAsync("/v1/chat/completions", """{"model":"plain","messages":[{"role":"user","content":"time me"}]}""");

        foreach (var name in new[] { "X-LlamaSwap-Queue-Wait-Ms", "X-LlamaSwap-Load-Ms", "X-LlamaSwap-Proxy-Ms" })
        {
            Assert.True(response.Headers.TryGetValues(name, out var values), $"{name} missing");
            var value = Assert.Single(values);
            Assert.True(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0, $"{name}: {value}");
        }
    }

    [Fact]
    public async Task Upstream_ModelRoute_IsRecordedWithItsRequestBody()
    {
        var after = await LastIdAsync();
        const string requestBody = """{"model":"plain","messages":[{"role":"user","content":"via upstream path"}]}""";

        using var response = await Stack.Client.SendAsync(JsonRequest(Stack.FrontDoor, "/upstream/plain/v1/chat/completions", requestBody));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = await NextRowAsync("plain", after);
        Assert.Equal(3, row.GetProperty("tokens").GetProperty("input_tokens").GetInt64());
        using var capture = await Stack.GetJsonAsync($"/api/captures/{row.GetProperty("id").GetInt64()}");
        Assert.Equal(requestBody, Encoding.UTF8.GetString(capture.RootElement.GetProperty("req_body").GetBytesFromBase64()));
    }

    [Fact]
    public async Task Stats_TotalsCoverRecordedRows()
    {
        var after = await LastIdAsync();
        using (await PostJsonAsync("/v1/chat/completions", """{"model":"timed","messages":[{"role":"user","content":"stats please"}]}"""))
        {
        }

        await NextRowAsync("timed", after);
        using var stats = await Stack.GetJsonAsync("/api/metrics/stats?model=timed");
        var root = stats.RootElement;
        Assert.True(root.GetProperty("total_requests").GetInt32() >= 1);
        Assert.True(root.GetProperty("total_input_tokens").GetInt64() >= 2);
        Assert.Equal(50, root.GetProperty("gen_histogram").GetProperty("p50").GetDouble(), 3);
    }

    private static HttpRequestMessage JsonRequest(string baseUrl, string path, string json) => new(HttpMethod.Post, baseUrl + path)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };

    private async Task<HttpResponseMessage> PostJsonAsync(string path, string json)
    {
        var response = await Stack.Client.SendAsync(JsonRequest(Stack.FrontDoor, path, json));
        Assert.True(response.IsSuccessStatusCode, $"POST {path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private async Task<long> LastIdAsync()
    {
        using var page = await Stack.GetJsonAsync("/api/metrics/activity?limit=1&sort=id&order=desc");
        var data = page.RootElement.GetProperty("data");
        return data.GetArrayLength() == 0 ? 0 : data[0].GetProperty("id").GetInt64();
    }

    /// <summary>The first row of <paramref name="model"/> recorded after <paramref name="afterId"/> (recording happens in the background).</summary>
    private async Task<JsonElement> NextRowAsync(string model, long afterId)
    {
        JsonElement? row = null;
        await Eventually.TrueAsync(
            async () =>
            {
                using var page = await Stack.GetJsonAsync($"/api/metrics/activity?model={model}&min_id={afterId + 1}&sort=id&order=asc");
                var data = page.RootElement.GetProperty("data");
                row = data.GetArrayLength() > 0 ? data[0].Clone() : null;
                return row is not null;
            },
            $"a row for {model} after id {afterId} is recorded",
            RowDeadline);
        return row!.Value;
    }

    private static (long Input, long Output) LastUsage(string sse)
    {
        (long, long)? usage = null;
        foreach (var line in sse.Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            if (chunk.RootElement.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                usage = (u.GetProperty("prompt_tokens").GetInt64(), u.GetProperty("completion_tokens").GetInt64());
            }
        }

        return usage ?? throw new Xunit.Sdk.XunitException("the stream reported no usage");
    }
}
