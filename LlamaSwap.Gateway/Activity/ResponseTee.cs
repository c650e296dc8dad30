using LlamaSwap.Gateway.Inflight;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// The response body seen by everything that answers a recorded request: each write and flush goes
/// straight to the client (SSE stays unbuffered) and is copied into a bounded <see cref="BodyTap"/>.
/// </summary>
internal sealed class ResponseTee(Stream inner, HttpResponse response, InflightRequest request, BodyTap tap) : Stream
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

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        request.OnResponseStarted(response);
        inner.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        request.OnResponseStarted(response);
        return inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        request.OnResponseStarted(response);
        tap.Append(data);
        request.OnResponseBytes(data.Length);
    }
}
