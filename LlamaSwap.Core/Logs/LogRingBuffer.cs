namespace LlamaSwap.Core.Logs;

/// <summary>The newest <c>capacity</c> bytes written; storage is allocated on the first write. Not thread-safe.</summary>
internal sealed class LogRingBuffer(int capacity)
{
    private byte[]? _buffer;
    private int _start;
    private int _count;
    private bool _wrapped;

    public int Count => _count;

    public void Append(ReadOnlySpan<byte> data)
    {
        _buffer ??= new byte[capacity];
        if (data.Length >= capacity)
        {
            _wrapped |= _count > 0 || data.Length > capacity;
            data[^capacity..].CopyTo(_buffer);
            _start = 0;
            _count = capacity;
            return;
        }

        var end = (_start + _count) % capacity;
        var firstPart = Math.Min(data.Length, capacity - end);
        data[..firstPart].CopyTo(_buffer.AsSpan(end));
        data[firstPart..].CopyTo(_buffer);

        var overflow = _count + data.Length - capacity;
        if (overflow > 0)
        {
            _start = (_start + overflow) % capacity;
            _count = capacity;
            _wrapped = true;
        }
        else
        {
            _count += data.Length;
        }
    }

    public byte[] ToArray()
    {
        if (_buffer is null || _count == 0)
        {
            return [];
        }

        // Once old bytes were overwritten the oldest character may be cut in half: skip its tail
        // (UTF-8 continuation bytes) so readers never see a broken character.
        var skip = 0;
        while (_wrapped && skip < Math.Min(3, _count) && (_buffer[(_start + skip) % capacity] & 0xC0) == 0x80)
        {
            skip++;
        }

        var result = new byte[_count - skip];
        var from = (_start + skip) % capacity;
        var firstPart = Math.Min(result.Length, capacity - from);
        _buffer.AsSpan(from, firstPart).CopyTo(result);
        _buffer.AsSpan(0, result.Length - firstPart).CopyTo(result.AsSpan(firstPart));
        return result;
    }
}
