namespace LlamaSwap.Gateway.Http;

/// <summary>
/// A response body that passes every write and flush straight on (SSE stays unbuffered) and lets
/// a subclass see each write first: the activity tee copies the bytes, the access log counts them.
/// </summary>
internal abstract class WriteThroughStream(Stream inner) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override void Write(ReadOnlySpan<byte> buffer)
    {
        OnWrite(buffer);
        inner.Write(buffer);
    }

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public sealed override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        OnWrite(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override void Flush()
    {
        OnFlush();
        inner.Flush();
    }

    public sealed override Task FlushAsync(CancellationToken cancellationToken)
    {
        OnFlush();
        return inner.FlushAsync(cancellationToken);
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Called with each write's bytes before they go on; must be quick and must not throw.</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>Called before each flush goes on.</summary>
    protected virtual void OnFlush()
    {
    }
}
