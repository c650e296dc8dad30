using System.Runtime.CompilerServices;
using System.Text;

namespace LlamaSwap.Core.Logs;

/// <summary>
/// A reader's view of a <see cref="LogMonitor"/>: the writes made since subscribing, in order.
/// Bytes that did not fit its queue are replaced by a <c>\n— N bytes dropped —\n</c> marker.
/// Read by one consumer at a time; dispose to stop (a pending read then ends).
/// </summary>
public sealed class LogSubscription : IDisposable
{
    // Reads hand out what is queued in one piece, up to this size, so a burst of small writes
    // becomes one network write.
    private const int MaxBatchBytes = 64 * 1024;

    private readonly LogMonitor _monitor;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly Queue<ReadOnlyMemory<byte>> _queue = new();
    private int _queuedBytes;
    private long _droppedBytes;
    private bool _disposed;
    private TaskCompletionSource? _waiter;

    internal LogSubscription(LogMonitor monitor, int capacity)
    {
        _monitor = monitor;
        _capacity = capacity;
    }

    /// <summary>The text inserted where <paramref name="droppedBytes"/> bytes were dropped.</summary>
    public static string DropMarker(long droppedBytes) => $"\n— {droppedBytes} bytes dropped —\n";

    /// <summary>Chunks of log bytes as they are written, until disposal or <paramref name="cancellationToken"/>.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadOnlyMemory<byte> chunk;
            Task? waitFor = null;
            lock (_lock)
            {
                chunk = TakeLocked();
                if (chunk.IsEmpty)
                {
                    if (_disposed)
                    {
                        yield break;
                    }

                    _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waitFor = _waiter.Task;
                }
            }

            if (waitFor is not null)
            {
                await waitFor.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            yield return chunk;
        }
    }

    public void Dispose()
    {
        _monitor.Unsubscribe(this);
        lock (_lock)
        {
            _disposed = true;
            _queue.Clear();
            _queuedBytes = 0;
            _droppedBytes = 0;
            _waiter?.TrySetResult();
            _waiter = null;
        }
    }

    /// <summary>Called by the monitor under its lock, so chunks arrive in write order.</summary>
    internal void Enqueue(ReadOnlyMemory<byte> chunk)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_queuedBytes + chunk.Length > _capacity)
            {
                _droppedBytes += chunk.Length;
                return;
            }

            if (_droppedBytes > 0)
            {
                // The reader caught up enough: tell it what it missed before what comes next.
                EnqueueLocked(Encoding.UTF8.GetBytes(DropMarker(_droppedBytes)));
                _droppedBytes = 0;
            }

            EnqueueLocked(chunk);
        }
    }

    /// <summary>What is queued, in one piece up to <see cref="MaxBatchBytes"/>; or the drop marker once the queue ran dry.</summary>
    private ReadOnlyMemory<byte> TakeLocked()
    {
        if (_queue.Count == 0)
        {
            if (_droppedBytes == 0)
            {
                return default;
            }

            var marker = Encoding.UTF8.GetBytes(DropMarker(_droppedBytes));
            _droppedBytes = 0;
            return marker;
        }

        var first = _queue.Dequeue();
        if (_queue.Count == 0 || first.Length + _queue.Peek().Length > MaxBatchBytes)
        {
            _queuedBytes -= first.Length;
            return first;
        }

        var size = first.Length;
        var count = 1;
        foreach (var next in _queue)
        {
            if (size + next.Length > MaxBatchBytes)
            {
                break;
            }

            size += next.Length;
            count++;
        }

        var batch = new byte[size];
        first.Span.CopyTo(batch);
        var offset = first.Length;
        for (var i = 1; i < count; i++)
        {
            var next = _queue.Dequeue();
            next.Span.CopyTo(batch.AsSpan(offset));
            offset += next.Length;
        }

        _queuedBytes -= size;
        return batch;
    }

    private void EnqueueLocked(ReadOnlyMemory<byte> chunk)
    {
        _queue.Enqueue(chunk);
        _queuedBytes += chunk.Length;
        if (_waiter is { } waiter)
        {
            _waiter = null;
            waiter.TrySetResult();
        }
    }
}
