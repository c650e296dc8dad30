using System.Collections.Concurrent;
using System.Threading.Channels;

namespace LlamaSwap.Gateway.Events;

/// <summary>
/// Fans events out to every connected <c>/api/events</c> client. Publishing never waits: each
/// client has its own queue of <see cref="ClientCapacity"/> frames, and a client that falls that
/// far behind loses frames (counted and logged) instead of slowing anyone else down.
/// </summary>
internal sealed partial class EventHub(ILogger<EventHub> logger)
{
    /// <summary>Frames queued per client before new ones are dropped (llama-swap: 1024 messages).</summary>
    public const int ClientCapacity = 1024;

    private readonly ILogger<EventHub> _logger = logger;
    private readonly ConcurrentDictionary<long, EventClient> _clients = new();
    private long _lastClientId;

    public int ClientCount => _clients.Count;

    public void Publish(byte[] frame)
    {
        foreach (var client in _clients.Values)
        {
            client.Offer(frame);
        }
    }

    public void Publish<T>(string type, T data)
    {
        if (!_clients.IsEmpty)
        {
            Publish(EventFrame.Encode(type, data));
        }
    }

    /// <summary>Registers a client; frames published from now on are queued for it until it is disposed.</summary>
    public EventClient Connect()
    {
        var id = Interlocked.Increment(ref _lastClientId);
        var client = new EventClient(this, id);
        _clients[id] = client;
        return client;
    }

    internal sealed class EventClient(EventHub hub, long id) : IDisposable
    {
        private readonly Channel<byte[]> _frames = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(ClientCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

        private long _dropped;

        public ChannelReader<byte[]> Frames => _frames.Reader;

        public long Dropped => Interlocked.Read(ref _dropped);

        public void Dispose()
        {
            hub._clients.TryRemove(id, out _);
            _frames.Writer.TryComplete();
        }

        internal void Offer(byte[] frame)
        {
            // DropWrite makes TryWrite succeed while silently discarding; count by checking the room first.
            if (_frames.Reader.Count >= ClientCapacity)
            {
                if (Interlocked.Increment(ref _dropped) == 1)
                {
                    Log.ClientLagging(hub._logger, id, ClientCapacity);
                }

                return;
            }

            _frames.Writer.TryWrite(frame);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "Events client {ClientId} is more than {Capacity} events behind; dropping events for it")]
        public static partial void ClientLagging(ILogger logger, long clientId, int capacity);
    }
}
