using System.Collections.Concurrent;
using System.Text;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Peers;

/// <summary>A remote server standing in for a peer: records every request, headers included.</summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePeer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The peer's base URL under the name <c>localhost</c>, so its Host differs from the gateway's.</summary>
    public string Url { get; }

    public ConcurrentQueue<PeerRequest> Requests { get; } = new();

    /// <summary>Opened by the test to let a streaming response finish.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakePeer> StartAsync()
    {
        FakePeer? self = null;
        var (app, url) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(context => self!.HandleAsync(context))));
        self = new FakePeer(app, url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new PeerRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            request.Headers.Host.ToString(),
            request.Headers.Authorization.ToArray()!,
            request.Headers["x-api-key"].ToArray()!,
            request.ContentType,
            body));

        switch (request.Headers["X-Test-Mode"].ToString())
        {
            case "sse":
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: {\"chunk\":1}\n\n");
                await context.Response.Body.FlushAsync();
                await StreamGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await context.Response.WriteAsync("data: [DONE]\n\n");
                return;

            case "slow-headers":
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                return;

            default:
                context.Response.Headers["X-Peer"] = "fake";
                await context.Response.WriteAsJsonAsync(new { answeredBy = "peer" });
                return;
        }
    }
}

internal sealed record PeerRequest(
    string Method, string Path, string Query, string Host, string[] Authorization, string[] ApiKey, string? ContentType, string Body);
