using System.Buffers;
using System.Collections.Immutable;
using System.Text;

namespace LlamaSwap.Core.Logs;

/// <summary>
/// One log source (llama-swap's <c>logmon</c>): the newest <see cref="HistoryCapacity"/> bytes kept
/// for late readers, and every write broadcast to live subscribers. A write never waits for a
/// reader: each subscriber has its own bounded queue, and a subscriber that lags loses bytes from
/// its live stream (it is told how many with a marker); the history stays complete.
/// Thread-safe; a write is one short lock, one ring copy and one enqueue per subscriber.
/// </summary>
public sealed class LogMonitor
{
    /// <summary>Bytes of history kept (llama-swap: 100 KiB).</summary>
    public const int HistoryCapacity = 100 * 1024;

    /// <summary>Bytes a subscriber may have waiting before further writes are dropped from its stream.</summary>
    public const int DefaultSubscriberCapacity = 256 * 1024;

    private readonly Lock _lock = new();
    private readonly LogRingBuffer _history = new(HistoryCapacity);
    private ImmutableArray<LogSubscription> _subscribers = [];

    /// <summary>Appends UTF-8 bytes, copied verbatim.</summary>
    public void Write(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            _history.Append(utf8);
            if (_subscribers.IsEmpty)
            {
                return;
            }

            // One copy shared by every subscriber: queued chunks are never written to again.
            ReadOnlyMemory<byte> chunk = utf8.ToArray();
            foreach (var subscriber in _subscribers)
            {
                subscriber.Enqueue(chunk);
            }
        }
    }

    /// <summary>Appends <paramref name="text"/> as UTF-8.</summary>
    public void Write(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            Write(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A copy of the retained history (at most <see cref="HistoryCapacity"/> bytes).</summary>
    public byte[] GetHistory()
    {
        lock (_lock)
        {
            return _history.ToArray();
        }
    }

    /// <summary>A live subscription to writes made from now on; dispose it to stop.</summary>
    public LogSubscription Subscribe() => Subscribe(replayHistory: false);

    /// <summary>
    /// A live subscription; with <paramref name="replayHistory"/> its stream starts with the history,
    /// taken atomically with the subscription so no write is missed or seen twice in between.
    /// </summary>
    public LogSubscription Subscribe(bool replayHistory, int capacityBytes = DefaultSubscriberCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        var subscription = new LogSubscription(this, capacityBytes);
        lock (_lock)
        {
            if (replayHistory && _history.Count > 0)
            {
                subscription.Enqueue(_history.ToArray());
            }

            _subscribers = _subscribers.Add(subscription);
        }

        return subscription;
    }

    internal void Unsubscribe(LogSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = _subscribers.Remove(subscription);
        }
    }
}
