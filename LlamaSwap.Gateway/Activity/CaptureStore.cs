using LlamaSwap.Gateway.Configuration;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// Captures in arrival order within <c>captureBuffer</c> MB (reference 2.4.3): the oldest go first
/// to make room, one bigger than the whole buffer is not kept, and 0 MB keeps none.
/// </summary>
internal sealed class CaptureStore(ConfigHolder config)
{
    private readonly Lock _lock = new();
    private readonly Queue<Capture> _order = new();
    private readonly Dictionary<long, Capture> _byId = [];
    private long _bytes;

    public bool Enabled => config.Current.Observability.CaptureBufferBytes > 0;

    /// <returns>False when captures are off or this one is larger than the whole buffer.</returns>
    public bool TryAdd(Capture capture)
    {
        var limit = config.Current.Observability.CaptureBufferBytes;
        var size = capture.Size;
        lock (_lock)
        {
            // A reload may have shrunk the buffer: the new limit applies from the next capture.
            if (limit <= 0 || size > limit)
            {
                Prune(Math.Max(0, limit));
                return false;
            }

            Prune(limit - size);
            _order.Enqueue(capture);
            _byId[capture.Id] = capture;
            _bytes += size;
            return true;
        }
    }

    public Capture? Get(long id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Bytes held now (bodies plus header text).</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    private void Prune(long keepAtMost)
    {
        while (_bytes > keepAtMost && _order.TryDequeue(out var oldest))
        {
            _byId.Remove(oldest.Id);
            _bytes -= oldest.Size;
        }
    }
}
