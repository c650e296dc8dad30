using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlamaSwap.Core.Events;

namespace LlamaSwap.Gateway.Inflight;

/// <summary>
/// Makes every gateway's in-flight requests visible from every gateway sharing the event bus (Redis
/// pub/sub, channel <see cref="Channel"/>): each gateway announces its list every
/// <see cref="HeartbeatInterval"/> (which also says it is alive), and while another gateway is known
/// it also announces each request's start, response start and end as they happen. Other gateways'
/// requests land in <see cref="RemoteInflight"/>; a cancel for one of them is sent to its gateway.
/// </summary>
/// <remarks>
/// A lone gateway pays nothing per request: it hears no heartbeat but its own, so it only sends its
/// list every few seconds. Byte progress is not announced per request; the heartbeat's list carries
/// the latest <c>resp_bytes</c> and <c>elapsed_ms</c>. Publishing is queued off the request's thread
/// and drops the oldest message when the bus cannot keep up: the next heartbeat repairs the picture.
/// </remarks>
internal sealed partial class SharedInflightFeed(
    InflightRequests local, RemoteInflight remote, IEventBus bus, TimeProvider time, ILogger<SharedInflightFeed> logger)
    : BackgroundService
{
    /// <summary>Redis pub/sub channel of <see cref="Message"/> JSON.</summary>
    public const string Channel = "llamaswap:inflight";

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly BusChannel _channel = new(bus, Channel);

    /// <summary>This gateway on the bus.</summary>
    public string GatewayId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Asks the gateway serving <paramref name="id"/> (a prefixed id) to cancel it; false when no known gateway serves it.</summary>
    public bool CancelRemote(string id)
    {
        if (!remote.TryFind(id, out var gateway, out var localId))
        {
            return false;
        }

        Post(new Message(GatewayId, Operations.Cancel) { Target = gateway, Id = localId });
        return true;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        local.Changed += OnLocalChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        local.Changed -= OnLocalChanged;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Best effort: without the subscription this gateway still shows its own requests.
        var heartbeats = HeartbeatsAsync(stoppingToken);
        await _channel.RunAsync(OnMessage, ex => Log.SubscribeFailed(logger, ex), stoppingToken);
        await heartbeats;
    }

    private void Post(Message message) => _channel.TryPost(JsonSerializer.Serialize(message, Json));

    private async Task HeartbeatsAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Post(new Message(GatewayId, Operations.Snapshot) { Entries = local.Snapshot() });
                remote.Expire();
                await Task.Delay(HeartbeatInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void OnLocalChanged(InflightRequest request, InflightChange change)
    {
        // Raised on the request's own thread: one small JSON and a queue write, and only when another gateway listens.
        if (change == InflightChange.Progress || !remote.HasPeers)
        {
            return;
        }

        Post(change == InflightChange.Ended
            ? new Message(GatewayId, Operations.Remove) { Id = request.Id }
            : new Message(GatewayId, Operations.Upsert) { Entry = request.ToEntry() });
    }

    private void OnMessage(string json)
    {
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(json, Json);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is not { Gateway.Length: > 0, Operation.Length: > 0 })
        {
            Log.BadMessage(logger, json.Length > 200 ? json[..200] : json);
            return;
        }

        if (message.Gateway == GatewayId)
        {
            return;
        }

        switch (message.Operation)
        {
            case Operations.Snapshot:
                remote.Replace(message.Gateway, message.Entries ?? []);
                break;
            case Operations.Upsert when message.Entry is { } entry:
                remote.Upsert(message.Gateway, entry);
                break;
            case Operations.Remove when message.Id is { } id:
                remote.Remove(message.Gateway, id);
                break;
            case Operations.Cancel when message.Target == GatewayId && message.Id is { } id:
                remote.Seen(message.Gateway);
                if (local.Cancel(id))
                {
                    Log.CancelledForPeer(logger, id.ToString(CultureInfo.InvariantCulture), message.Gateway);
                }

                break;
            default:
                remote.Seen(message.Gateway);
                break;
        }
    }

    private static class Operations
    {
        public const string Snapshot = "snapshot";
        public const string Upsert = "upsert";
        public const string Remove = "remove";
        public const string Cancel = "cancel";
    }

    /// <summary>One announcement on <see cref="Channel"/>.</summary>
    internal sealed record Message(
        [property: JsonPropertyName("gateway")] string Gateway,
        [property: JsonPropertyName("op")] string Operation)
    {
        [JsonPropertyName("entry")]
        public InflightEntry? Entry { get; init; }

        [JsonPropertyName("entries")]
        public IReadOnlyList<InflightEntry>? Entries { get; init; }

        [JsonPropertyName("id")]
        public long? Id { get; init; }

        [JsonPropertyName("target")]
        public string? Target { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1122, Level = LogLevel.Warning, Message = "Could not subscribe to other gateways' in-flight requests; /api/events shows only this gateway's")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1123, Level = LogLevel.Warning, Message = "Ignored an in-flight announcement that is not {{gateway, op, ...}}: {Json}")]
        public static partial void BadMessage(ILogger logger, string json);

        [LoggerMessage(EventId = 1124, Level = LogLevel.Information, Message = "Cancelled in-flight request {Id} at the request of gateway {Gateway}")]
        public static partial void CancelledForPeer(ILogger logger, string id, string gateway);
    }
}
