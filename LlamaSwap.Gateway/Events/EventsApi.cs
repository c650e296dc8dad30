using LlamaSwap.Gateway.Configuration;
using LlamaSwap.Gateway.Profiles;
using LlamaSwap.Gateway.Routing;

namespace LlamaSwap.Gateway.Events;

/// <summary><c>GET /api/events</c>: the live event stream of reference 2.4.</summary>
internal static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRoute(GatewayRoutes.Events, StreamAsync);
        return endpoints;
    }

    private static async Task StreamAsync(
        HttpContext context,
        EventHub hub,
        ModelStatusFeed models,
        ConfigHolder config,
        ActiveProfile profile,
        IEnumerable<IEventSnapshotSource> snapshotSources,
        IHostApplicationLifetime lifetime)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers.Connection = "keep-alive";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["X-Accel-Buffering"] = "no";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;

        // Connect first so nothing published while the snapshot is written is lost; a client may see
        // an event both in the snapshot and live, which the payloads (full states, upserts) tolerate.
        using var client = hub.Connect();
        try
        {
            var snapshot = config.Current;
            foreach (var source in snapshotSources.Where(s => s.Order < 0).OrderBy(s => s.Order))
            {
                await WriteFramesAsync(response, source.Snapshot(), cancellationToken);
            }

            await response.Body.WriteAsync(EventFrame.Encode(EventTypes.ModelStatus, models.Current()), cancellationToken);
            await response.Body.WriteAsync(
                EventFrame.Encode(EventTypes.UiConfig, new UiConfigPayload(new UiActivityConfig(snapshot.Observability.SessionIdHeaders))),
                cancellationToken);
            await response.Body.WriteAsync(
                EventFrame.Encode(EventTypes.ProfileChanged, new ProfileChangedPayload(profile.For(snapshot)?.Id)), cancellationToken);
            foreach (var source in snapshotSources.Where(s => s.Order >= 0).OrderBy(s => s.Order))
            {
                await WriteFramesAsync(response, source.Snapshot(), cancellationToken);
            }

            await response.Body.FlushAsync(cancellationToken);

            var frames = client.Frames;
            while (await frames.WaitToReadAsync(cancellationToken))
            {
                while (frames.TryRead(out var frame))
                {
                    await response.Body.WriteAsync(frame, cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the gateway is stopping: the stream simply ends.
        }
    }

    private static async Task WriteFramesAsync(HttpResponse response, IEnumerable<byte[]> frames, CancellationToken cancellationToken)
    {
        foreach (var frame in frames)
        {
            await response.Body.WriteAsync(frame, cancellationToken);
        }
    }
}
