using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Loading;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Loading;

/// <summary><c>sendLoadingState</c>: progress chunks while the model loads, then the upstream's stream.</summary>
public sealed class LoadingStreamTests
{
    private static Task<GatewayHarness> StartAsync()
        => GatewayHarness.StartAsync(url => GatewayHarness.DefaultConfig(url) with { SendLoadingState = true });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("""{"model":"m","stream":true}""", true)]
    [InlineData("""{"stream":false,"model":"m"}""", false)]
    [InlineData("""{"model":"m","options":{"stream":true}}""", false)]
    [InlineData("""{"model":"m","stream":"true"}""", false)]
    [InlineData("""not json""", false)]
    public void IsStreamingRequest_ReadsOnlyTheTopLevelBoolean(string body, bool expected)
        => Assert.Equal(expected, LoadingStream.IsStreamingRequest(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task SlowLoad_StreamsCompleteLoadingChunks_ThenAppendsTheUpstreamResponse()
    {
        await using var harness = await StartAsync();
        var granted = new TaskCompletionSource();
        harness.Supervisor.OnAcquire = async (_, _) =>
        {
            await Task.Delay(1200);
            granted.TrySetResult();
            return null;
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"llama","stream":true}""") };
        using var response = await harness.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await NextDataAsync(reader);
        Assert.False(granted.Task.IsCompleted, "the first loading chunk arrives while the model is still loading");
        using (var chunk = JsonDocument.Parse(first!))
        {
            var root = chunk.RootElement;
            Assert.StartsWith("chatcmpl-loading-", root.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", root.GetProperty("object").GetString());
            Assert.Equal("llama", root.GetProperty("model").GetString());
            Assert.True(root.GetProperty("created").GetInt64() > 0);
            Assert.Contains("llama-swap loading model: llama", root.GetProperty("choices")[0].GetProperty("delta").GetProperty("reasoning_content").GetString());
        }

        var rest = await reader.ReadToEndAsync();
        Assert.Contains("Done! (", rest);
        // The fake upstream answers with an echo of what it received, appended after the loading text.
        var echo = FakeUpstream.ParseEcho(rest[rest.IndexOf("{\"method\"", StringComparison.Ordinal)..]);
        Assert.Equal("/v1/chat/completions", echo.GetProperty("path").GetString());
        Assert.Equal("""{"model":"llama","stream":true}""", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ImmediateRefusal_IsAPlain429_NeverPrecededByALoadingStream()
    {
        await using var harness = await StartAsync();
        harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(Results.Json(new SupervisorError("Too many requests", "concurrency_limit"), statusCode: 429));

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama","stream":true}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FailureAfterTheStreamStarted_IsAnSseErrorEventThenDone()
    {
        await using var harness = await StartAsync();
        harness.Supervisor.OnAcquire = async (_, _) =>
        {
            await Task.Delay(400);
            return Results.Json(new SupervisorError("unspecific error: health check timed out after 15s"), statusCode: 500);
        };

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama","stream":true}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("health check timed out after 15s", body);
        Assert.Contains("\"src\":\"llama-swap\"", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task NonStreamingRequest_NeverGetsALoadingStream()
    {
        await using var harness = await StartAsync();
        harness.Supervisor.OnAcquire = async (_, _) =>
        {
            await Task.Delay(300);
            return null;
        };

        using var response = await harness.Client.PostAsync("/v1/chat/completions", Json("""{"model":"llama"}"""));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("loading model", await response.Content.ReadAsStringAsync());
    }

    private static async Task<string?> NextDataAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        return null;
    }
}
