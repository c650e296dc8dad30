using System.Net;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Anthropic;

/// <summary>The gateway's translation path against a scripted OpenAI upstream, leases from a fake supervisor.</summary>
public sealed class AnthropicForwarderTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _upstreamAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GatewayHarness _harness = null!;
    private WebApplication _upstream = null!;
    private Func<HttpContext, Task> _answer = _ => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        string upstreamUrl;
        (_upstream, upstreamUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(context => _answer(context))));
        _harness = await GatewayHarness.StartAsync(url => GatewayHarness.DefaultConfig(url) with
        {
            Models = new Dictionary<string, ModelConfig> { ["oa"] = GatewayHarness.Model("oa", url) with { OpenAiOnly = true } },
        });
        // Leases point at the scripted upstream instead of the harness's echo server.
        _harness.Supervisor.OnAcquire = (_, _) => Task.FromResult<IResult?>(
            Results.Json(new AcquireResponse($"lease-{Guid.NewGuid():N}", upstreamUrl, 0, 0)));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostMessagesAsync(bool stream = false, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
        => _harness.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent(
                    $$"""{"model":"oa","max_tokens":8,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""",
                    Encoding.UTF8,
                    "application/json"),
            },
            completion);

    [Fact]
    public async Task UpstreamError_ReturnedAsAnthropicErrorWithUpstreamStatus_AndLeaseReleased()
    {
        _answer = async context =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "loading model", type = "unavailable_error" } });
        };

        using var response = await PostMessagesAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal("overloaded_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("loading model", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        await LoopbackServer.WaitUntilAsync(() => _harness.Supervisor.Releases.Count == 1, because: "the lease is released");
    }

    [Fact]
    public async Task Streaming_SetsEventStreamHeaders()
    {
        _answer = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hey\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        };

        using var response = await PostMessagesAsync(stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Contains("event: message_stop", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientDisconnect_CancelsTheUpstreamCall_AndReleasesTheLease()
    {
        _answer = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _upstreamAborted.TrySetResult();
            }
        };

        var response = await PostMessagesAsync(stream: true, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && !line.Contains("\"first\"", StringComparison.Ordinal))
        {
        }

        response.Dispose();

        await _upstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await LoopbackServer.WaitUntilAsync(() => _harness.Supervisor.Releases.Count == 1, because: "the lease is released");
    }

    [Fact]
    public async Task CountTokens_AnsweredWithoutAcquiring()
    {
        using var response = await _harness.Client.PostAsync(
            "/v1/messages/count_tokens",
            new StringContent("""{"model":"oa","messages":[{"role":"user","content":"12345678"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"input_tokens":2}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(_harness.Supervisor.Acquires);
    }
}
