using System.Globalization;
using System.Text.Json.Serialization;
using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Events;

/// <summary>
/// <c>inflight</c> events (reference 2.4): a snapshot on connect, then an upsert when a request
/// starts, its response starts and (at most every 250 ms) as its bytes flow, and a remove when it ends.
/// Raised on the request's own thread, so nothing is encoded while no client listens. Other
/// gateways' requests (<see cref="RemoteInflight"/>, ids prefixed with their gateway's tag) follow
/// this gateway's own in the snapshot and are upserted and removed the same way.
/// </summary>
internal sealed class InflightEventsFeed(InflightRequests inflight, RemoteInflight remote, EventHub hub) : IHostedService, IEventSnapshotSource
{
    public int Order => 1;

    public IEnumerable<byte[]> Snapshot()
    {
        yield return EventFrame.Encode(EventTypes.Inflight, new SnapshotPayload([.. inflight.Snapshot(), .. remote.Snapshot()]));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        inflight.Changed += OnChanged;
        remote.Changed += OnRemoteChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        inflight.Changed -= OnChanged;
        remote.Changed -= OnRemoteChanged;
        return Task.CompletedTask;
    }

    private void OnRemoteChanged(string id, InflightEntry? entry)
    {
        if (hub.ClientCount == 0)
        {
            return;
        }

        if (entry is null)
        {
            hub.Publish(EventTypes.Inflight, new RemovePayload(id));
        }
        else
        {
            hub.Publish(EventTypes.Inflight, new UpsertPayload(entry));
        }
    }

    private void OnChanged(InflightRequest request, InflightChange change)
    {
        if (hub.ClientCount == 0)
        {
            return;
        }

        if (change == InflightChange.Ended)
        {
            hub.Publish(EventTypes.Inflight, new RemovePayload(request.Id.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            hub.Publish(EventTypes.Inflight, new UpsertPayload(request.ToEntry()));
        }
    }

    private sealed record SnapshotPayload([property: JsonPropertyName("requests")] IReadOnlyList<InflightEntry> Requests)
    {
        [JsonPropertyName("operation")]
        [JsonPropertyOrder(-1)]
        public string Operation => "snapshot";
    }

    private sealed record UpsertPayload([property: JsonPropertyName("request")] InflightEntry Request)
    {
        [JsonPropertyName("operation")]
        [JsonPropertyOrder(-1)]
        public string Operation => "upsert";
    }

    private sealed record RemovePayload([property: JsonPropertyName("id")] string Id)
    {
        [JsonPropertyName("operation")]
        [JsonPropertyOrder(-1)]
        public string Operation => "remove";
    }
}
