using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlamaSwap.Tests.Gateway.Support;

/// <summary>
/// A stand-in model server. <c>/sse</c>-style streaming is driven by a gate the test opens, so
/// "the first chunk arrived while the upstream was still streaming" is a fact, not a timing guess.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Opened by the test to let a streaming response finish.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the streaming response wrote its last byte.</summary>
    public DateTimeOffset? StreamFinishedAt { get; private set; }

    /// <summary>Set when the upstream saw its request aborted (client disconnect propagated).</summary>
    public TaskCompletionSource RequestAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeUpstream> StartAsync()
    {
        FakeUpstream? self = null;
        var (app, url) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(context => self!.HandleAsync(context))));
        self = new FakeUpstream(app, url);
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var mode = request.Headers["X-Test-Mode"].ToString();

        if (mode == "sse")
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"chunk\":1}\n\n");
            await context.Response.Body.FlushAsync();
            await StreamGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(50);
            await context.Response.WriteAsync("data: [DONE]\n\n");
            await context.Response.Body.FlushAsync();
            StreamFinishedAt = DateTimeOffset.UtcNow;
            return;
        }

        if (mode == "die-mid-stream")
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"chunk\":1}\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(100);
            context.Abort();
            return;
        }

        if (mode == "hang")
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"chunk\":1}\n\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                RequestAborted.TrySetResult();
            }

            return;
        }

        var echo = new Dictionary<string, object?>
        {
            ["method"] = request.Method,
            ["rawTarget"] = context.Features.Get<IHttpRequestFeature>()?.RawTarget,
            ["path"] = request.Path.Value,
            ["query"] = request.QueryString.Value,
            ["contentType"] = request.ContentType,
            ["contentLength"] = request.ContentLength,
            ["authorization"] = request.Headers.Authorization.ToString(),
            ["apiKey"] = request.Headers["x-api-key"].ToString(),
            ["body"] = body,
        };
        context.Response.Headers["X-Upstream"] = "fake";
        await context.Response.WriteAsJsonAsync(echo);
    }

    /// <summary>Parses the echo body the upstream answers for ordinary requests.</summary>
    public static JsonElement ParseEcho(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
