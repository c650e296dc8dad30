using System.Text.Json;
using System.Text.Json.Serialization;
using LlamaSwap.Core.Events;
using LlamaSwap.Gateway.Activity;

namespace LlamaSwap.Gateway.Events;

/// <summary>
/// <c>activity</c> events for rows other gateways record in the same <c>store.path</c> file: each row
/// this gateway stores is announced on <see cref="Channel"/>, and announcements from other gateways of
/// the same store (same store id, made when the file was created) are raised on this gateway's
/// <c>/api/events</c> as <c>{"id":N}</c>. This gateway's own rows reach its clients through
/// <see cref="ActivityEventsListener"/>, so its own announcements are ignored here.
/// </summary>
/// <remarks>
/// Publishing is queued (never on the recorder's thread): a slow Redis drops announcements, oldest
/// first, as the bus is best effort; the rows themselves are in the file either way.
/// </remarks>
internal sealed partial class SharedActivityFeed(ActivityStore store, IEventBus bus, EventHub hub, ILogger<SharedActivityFeed> logger)
    : BackgroundService, IActivityListener
{
    /// <summary>Redis pub/sub channel of <see cref="Announcement"/> JSON messages.</summary>
    public const string Channel = "llamaswap:activity";

    private readonly string _gatewayId = Guid.NewGuid().ToString("N");
    private readonly BusChannel _channel = new(bus, Channel);

    public void OnRecorded(ActivityEntry entry)
    {
        // An in-memory store is this gateway's alone: nobody else could fetch the row.
        var database = store.Database;
        if (!database.InMemory)
        {
            _channel.TryPost(JsonSerializer.Serialize(new Announcement(entry.Id, database.StoreId, _gatewayId)));
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)

        // Best effort: without the subscription this gateway still lists every row; only the live
        // events of others are missing.
        => _channel.RunAsync(OnMessage, ex => Log.SubscribeFailed(logger, ex), stoppingToken);

    private void OnMessage(string json)
    {
        Announcement? announcement;
        try
        {
            announcement = JsonSerializer.Deserialize<Announcement>(json);
        }
        catch (JsonException)
        {
            announcement = null;
        }

        if (announcement is not { Store: { } storeId, Gateway: { } gatewayId })
        {
            Log.BadMessage(logger, json.Length > 200 ? json[..200] : json);
            return;
        }

        // Another store's rows (a gateway on another file, or in memory) cannot be fetched from here.
        if (gatewayId != _gatewayId && storeId == store.Database.StoreId)
        {
            hub.Publish(EventTypes.Activity, new ActivityId(announcement.Id));
        }
    }

    internal sealed record Announcement(
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("store")] string? Store,
        [property: JsonPropertyName("gateway")] string? Gateway);

    private sealed record ActivityId([property: JsonPropertyName("id")] long Id);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "Could not subscribe to other gateways' activity; /api/events shows only this gateway's rows live")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Ignored an activity announcement that is not {{id, store, gateway}}: {Json}")]
        public static partial void BadMessage(ILogger logger, string json);
    }
}
