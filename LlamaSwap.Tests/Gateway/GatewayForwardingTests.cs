using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway;

/// <summary>The proxy path end to end: fake supervisor, real sockets, fake upstream.</summary>
public sealed class GatewayForwardingTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadEcho(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ReadError(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("llama-swap", document.RootElement.GetProperty("src").GetString());
        return document.RootElement.GetProperty("error").Clone();
    }

    [Fact]
    public async Task ChatCompletion_ForwardsOriginalBytes_AndReleasesLease()
    {
        await using var harness = await GatewayHarness.StartAsync();
        const string body = "{\n  \"model\": \"llama\",   \"messages\": [{\"role\":\"user\",\"content\":\"caf\\u00e9\"}]\n}";

        var echo = await ReadEcho(await harness.Client.PostAsync("/v1/chat/completions?trace=1", Json(body)));

        Assert.Equal(body, echo.GetProperty("body").GetString());
        Assert.Equal("/v1/chat/completions", echo.GetProperty("path").GetString());
        Assert.Equal("?trace=1", echo.GetProperty("query").GetString());
        var acquire = Assert.Single(harness.Supervisor.Acquires);
        Assert.Equal("llama", acquire.Model);
        Assert.True(Guid.TryParse(acquire.RequestId, out _));
        await LoopbackServer.WaitUntilAsync(() => harness.Supervisor.Releases.Any(r => r.LeaseId == "lease-1"), because: "lease released");
    }

    [Fact]
    public async Task Alias_AcquiresTheRealModel_UpstreamStillSeesTheAlias()
    {
        await using var harness = await GatewayHarness.StartAsync();
        const string body = """{"model":"gpt-4o-mini","prompt":"x"}""";

        var echo = await ReadEcho(await harness.Client.PostAsync("/v1/completions", Json(body)));

        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal(body, echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task UseModelName_RewritesOnlyTheModel_WithCorrectLength()
    {
        await using var harness = await GatewayHarness.StartAsync();

        var echo = await ReadEcho(await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"qwen", "stream":false}""")));

        const string expected = """{"model":"Qwen/Qwen3-8B", "stream":false}""";
        Assert.Equal(expected, echo.GetProperty("body").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), echo.GetProperty("contentLength").GetInt64());
    }

    [Theory]
    [InlineData("/v/chat/completions", "/chat/completions")]
    [InlineData("/audioapi/v1/tasks/run", "/v1/tasks/run")]
    [InlineData("/v1/messages/count_tokens", "/v1/messages/count_tokens")]
    public async Task PathRewrites_ReachTheUpstream(string route, string upstreamPath)
    {
        await using var harness = await GatewayHarness.StartAsync();
        var echo = await ReadEcho(await harness.Client.PostAsync(route + "?a=b", Json("""{"model":"llama"}""")));
        Assert.Equal(upstreamPath, echo.GetProperty("path").GetString());
        Assert.Equal("?a=b", echo.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Multipart_ModelFromForm_BodyForwardedUnchanged()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var form = new MultipartFormDataContent("boundary-1")
        {
            { new ByteArrayContent("RIFFdata"u8.ToArray()), "file", "a.wav" },
            { new StringContent("gpt-4o-mini"), "model" },
        };
        var sent = await form.ReadAsStringAsync();

        var echo = await ReadEcho(await harness.Client.PostAsync("/v1/audio/transcriptions", form));

        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal(sent, echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task GetRoute_ModelFromQuery()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var echo = await ReadEcho(await harness.Client.GetAsync("/v1/audio/voices?model=llama&lang=en"));
        Assert.Equal("llama", Assert.Single(harness.Supervisor.Acquires).Model);
        Assert.Equal("?model=llama&lang=en", echo.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Sse_StreamsChunksBeforeUpstreamFinishes_AndReleasesAfterTheEnd()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"llama","stream":true}""") };
        request.Headers.Add("X-Test-Mode", "sse");

        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var firstChunkAt = DateTimeOffset.UtcNow;

        // The upstream is parked on its gate: this chunk cannot have been buffered to the end.
        Assert.Equal("data: {\"chunk\":1}", first);
        Assert.Null(harness.Upstream.StreamFinishedAt);
        Assert.Empty(harness.Supervisor.Releases);

        harness.Upstream.StreamGate.SetResult();
        var rest = await reader.ReadToEndAsync();
        Assert.Contains("data: [DONE]", rest);

        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Releases.IsEmpty, because: "lease released");
        var finishedAt = harness.Upstream.StreamFinishedAt!.Value;
        Assert.True(firstChunkAt < finishedAt, "first chunk arrived before the upstream finished");
        Assert.True(harness.Supervisor.Releases.Single().At >= finishedAt, "release posted after the stream ended");
    }

    [Fact]
    public async Task ClientDisconnectMidStream_CancelsTheUpstreamRequest_AndReleases()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"llama"}""") };
        request.Headers.Add("X-Test-Mode", "hang");
        var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[16]) > 0);

        response.Dispose();

        await harness.Upstream.RequestAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Releases.IsEmpty, because: "lease released after abort");
    }

    [Fact]
    public async Task UpstreamDiesMidStream_ClientSeesAnError()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"llama"}""") };
        request.Headers.Add("X-Test-Mode", "die-mid-stream");
        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // A truncated body must not look complete: the gateway aborts the client connection.
        var stream = await response.Content.ReadAsStreamAsync();
        await Assert.ThrowsAnyAsync<IOException>(() => stream.CopyToAsync(Stream.Null));
        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Releases.IsEmpty, because: "lease released after failure");
    }

    [Fact]
    public async Task UpstreamUnreachable_Is502Envelope()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(Results.Json(new AcquireResponse("lease-x", "http://127.0.0.1:1", 0, 0)));

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await ReadError(response);
        Assert.StartsWith("upstream error: ", error.GetProperty("message").GetString());
        Assert.Equal("bad_gateway", error.GetProperty("code").GetString());
        await LoopbackServer.WaitUntilAsync(() => harness.Supervisor.Releases.Any(r => r.LeaseId == "lease-x"));
    }

    [Fact]
    public async Task ConcurrencyLimit_Is429WithSupervisorRetryAfter_AlwaysJson()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.OnAcquire = (_, context) =>
        {
            context.Response.Headers.RetryAfter = "7";
            return Task.FromResult<IResult?>(Results.Json(new SupervisorError("Too many requests", "concurrency_limit"), statusCode: 429));
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"llama"}""") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        var error = await ReadError(response);
        Assert.Equal("Too many requests", error.GetProperty("message").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("concurrency_limit", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TooManyRequests_WithoutRetryAfter_DefaultsToOne()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(Results.Json(new SupervisorError("Too many requests", "concurrency_limit"), statusCode: 429));

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama"}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task StartFailure_IsMappedPerAccept()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(
            Results.Json(new SupervisorError("unspecific error: health check timed out after 2m0s"), statusCode: 500));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"llama"}""") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("llama-swap: unspecific error: health check timed out after 2m0s", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"prompt":"no model"}""", "application/json", "no model id could be identified")]
    [InlineData("""{"prompt":"no model"}""", "text/plain", "no model id could be identified")]
    [InlineData("prompt=no+model", "application/x-www-form-urlencoded", "no model id could be identified")]
    [InlineData("""{"model":"nope"}""", "application/json", "no router for requested model \"nope\": GET /v1/models lists the available models")]
    public async Task UnknownOrMissingModel_Is404Envelope(string body, string contentType, string message)
    {
        await using var harness = await GatewayHarness.StartAsync();

        using var response = await harness.Client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ReadError(response);
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task HostileJson_IsA400Envelope_NeverA500_AndNothingIsAcquired()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var invalidUtf8 = "{\"model\":\"lla"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat("ma\",\"messages\":[]}"u8.ToArray()).ToArray();
        var tooDeep = "{\"model\":\"llama\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";

        foreach (var (body, expected) in new (byte[] Body, string Message)[]
        {
            ("""{"model":"llama" """u8.ToArray(), "request body is not valid JSON"),
            (invalidUtf8, "the \"model\" value is not valid UTF-8"),
            (Encoding.UTF8.GetBytes(tooDeep), "request body is not valid JSON"),
        })
        {
            using var content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            using var response = await harness.Client.PostAsync("/v1/chat/completions", content);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await ReadError(response);
            Assert.StartsWith(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(harness.Supervisor.Acquires);
    }

    [Fact]
    public async Task DeeplyNestedRequest_WithAReadableModel_IsServed()
    {
        // 64 levels and more were refused as "no model" by the reader's default depth; tool schemas nest deep.
        await using var harness = await GatewayHarness.StartAsync();
        var body = "{\"model\":\"llama\",\"tools\":" + new string('[', 200) + new string(']', 200) + "}";

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["llama"], harness.Supervisor.Acquires.Select(a => a.Model));
    }

    [Fact]
    public async Task ClientAbortWhileAcquiring_PostsCancelForThatRequest()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var acquireAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Supervisor.OnAcquire = async (_, context) =>
        {
            // A model that takes forever to load.
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                acquireAborted.TrySetResult();
            }

            return Results.StatusCode(499);
        };
        using var cancel = new CancellationTokenSource();
        var call = harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama"}"""), cancel.Token);
        await LoopbackServer.WaitUntilAsync(() => !harness.Supervisor.Acquires.IsEmpty, because: "acquire started");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var requestId = harness.Supervisor.Acquires.Single().RequestId;
        await LoopbackServer.WaitUntilAsync(() => harness.Supervisor.Cancels.Contains(requestId), because: "cancel posted");
        await acquireAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(harness.Supervisor.Releases);
    }

    [Fact]
    public async Task BodyOverLimit_Is413()
    {
        await using var harness = await GatewayHarness.StartAsync(extraArgs: ["--Gateway:MaxRequestBodyBytes=64"]);

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json($$"""{"model":"llama","p":"{{new string('x', 100)}}"}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body too large", (await ReadError(response)).GetProperty("message").GetString());
        Assert.Empty(harness.Supervisor.Acquires);
    }
}
