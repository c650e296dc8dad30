using System.Buffers;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// A bounded copy of a body as it streams by: the whole body while it fits in <see cref="HeadLimit"/>,
/// after that only its last <see cref="TailBytes"/> (where an SSE stream reports its usage). Memory
/// comes from the shared array pool and goes back on <see cref="Dispose"/>; appending never allocates
/// once the buffer has grown. Single writer; not thread-safe.
/// </summary>
internal sealed class BodyTap : IDisposable
{
    /// <summary>Bodies up to this size are kept whole (and can be captured).</summary>
    public const int HeadLimit = 1024 * 1024;

    /// <summary>How much of the end of a larger body is kept.</summary>
    public const int TailBytes = 64 * 1024;

    private const int InitialSize = 4096;

    private byte[]? _buffer;
    private int _length;

    // Tail mode: _buffer is a ring of TailBytes; _length counts bytes in it, _tailStart is the oldest.
    private bool _tailOnly;
    private int _tailStart;

    /// <summary>Every byte seen, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes held now (what a waiting recorder job costs in memory).</summary>
    public int KeptBytes => _length;

    /// <summary>True when the body outgrew <see cref="HeadLimit"/>: only its tail is kept.</summary>
    public bool Truncated => _tailOnly;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        TotalBytes += data.Length;
        if (!_tailOnly)
        {
            if (_length + data.Length <= HeadLimit)
            {
                EnsureCapacity(_length + data.Length);
                data.CopyTo(_buffer.AsSpan(_length));
                _length += data.Length;
                return;
            }

            SwitchToTail();
        }

        AppendToRing(data);
    }

    /// <summary>The kept bytes in order: the whole body, or its tail when <see cref="Truncated"/>.</summary>
    public ReadOnlyMemory<byte> Kept()
    {
        if (_buffer is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!_tailOnly || _tailStart == 0)
        {
            return _buffer.AsMemory(0, _length);
        }

        // Linearize the ring once, at the end, off the request's path.
        var ordered = ArrayPool<byte>.Shared.Rent(TailBytes);
        var first = _buffer.AsSpan(_tailStart, _length - _tailStart);
        first.CopyTo(ordered);
        _buffer.AsSpan(0, _tailStart).CopyTo(ordered.AsSpan(first.Length));
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ordered;
        _tailStart = 0;
        return _buffer.AsMemory(0, _length);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _length = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialSize, needed));
            return;
        }

        if (needed <= _buffer.Length)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Min(HeadLimit, Math.Max(needed, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    private void SwitchToTail()
    {
        var ring = ArrayPool<byte>.Shared.Rent(TailBytes);
        var keep = Math.Min(_length, TailBytes);
        if (keep > 0)
        {
            _buffer.AsSpan(_length - keep, keep).CopyTo(ring);
        }

        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = ring;
        _length = keep;
        _tailStart = 0;
        _tailOnly = true;
    }

    private void AppendToRing(ReadOnlySpan<byte> data)
    {
        var ring = _buffer!.AsSpan(0, TailBytes);
        if (data.Length >= TailBytes)
        {
            data[^TailBytes..].CopyTo(ring);
            _tailStart = 0;
            _length = TailBytes;
            return;
        }

        // Write position: just after the newest byte.
        var write = (_tailStart + _length) % TailBytes;
        var firstPart = Math.Min(data.Length, TailBytes - write);
        data[..firstPart].CopyTo(ring[write..]);
        data[firstPart..].CopyTo(ring);
        var overflow = _length + data.Length - TailBytes;
        if (overflow > 0)
        {
            _tailStart = (_tailStart + overflow) % TailBytes;
            _length = TailBytes;
        }
        else
        {
            _length += data.Length;
        }
    }
}
