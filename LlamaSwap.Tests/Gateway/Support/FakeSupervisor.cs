using System.Collections.Concurrent;
using LlamaSwap.Core.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Tests.Gateway.Support;

/// <summary>
/// The supervisor's internal API as the gateway sees it: every acquire is granted a lease on
/// <see cref="UpstreamUrl"/> unless a test installs <see cref="OnAcquire"/>; releases, cancels
/// and unloads are recorded with their arrival time.
/// </summary>
internal sealed class FakeSupervisor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _leaseCounter;

    private FakeSupervisor(WebApplication app, string url, string upstreamUrl)
    {
        _app = app;
        Url = url;
        UpstreamUrl = upstreamUrl;
    }

    public string Url { get; }

    public string UpstreamUrl { get; }

    /// <summary>Replaces the default grant; return null to grant normally.</summary>
    public Func<AcquireRequest, HttpContext, Task<IResult?>>? OnAcquire { get; set; }

    public ConcurrentQueue<AcquireRequest> Acquires { get; } = new();

    public ConcurrentQueue<(string LeaseId, DateTimeOffset At)> Releases { get; } = new();

    public ConcurrentQueue<string> Cancels { get; } = new();

    public ConcurrentQueue<string> Unloads { get; } = new();

    public List<ModelStateRecord> States { get; } = [];

    public static async Task<FakeSupervisor> StartAsync(string upstreamUrl)
    {
        FakeSupervisor? self = null;
        var (app, url) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost(SupervisorApi.Acquire, (AcquireRequest request, HttpContext context) => self!.AcquireAsync(request, context));
            app.MapPost(SupervisorApi.Release + "/{leaseId}", (string leaseId) =>
            {
                self!.Releases.Enqueue((leaseId, DateTimeOffset.UtcNow));
                return Results.NoContent();
            });
            app.MapPost(SupervisorApi.Cancel + "/{requestId}", (string requestId) =>
            {
                self!.Cancels.Enqueue(requestId);
                return Results.NoContent();
            });
            app.MapPost(SupervisorApi.UnloadAll, () =>
            {
                self!.Unloads.Enqueue("*");
                return Results.Ok();
            });
            app.MapPost(SupervisorApi.UnloadModel + "/{**model}", (string model) =>
            {
                self!.Unloads.Enqueue(model);
                return Results.Ok();
            });
            app.MapGet(SupervisorApi.State, () => Results.Json(self!.States));
            app.MapGet("/health", () => Results.Text("OK"));
        });
        self = new FakeSupervisor(app, url, upstreamUrl);
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> AcquireAsync(AcquireRequest request, HttpContext context)
    {
        Acquires.Enqueue(request);
        if (OnAcquire is { } custom && await custom(request, context) is { } result)
        {
            return result;
        }

        var lease = $"lease-{Interlocked.Increment(ref _leaseCounter)}";
        return Results.Json(new AcquireResponse(lease, UpstreamUrl, 0, 0));
    }
}
