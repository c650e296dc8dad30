using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary>
/// The real HTTP handler, but each response body moves a <see cref="ManualTimeProvider"/> as it is
/// read, as if the connection delivered <c>bytesPerSecond</c>: speed and ETA become exact.
/// </summary>
internal sealed class PacedHandler(ManualTimeProvider clock, int bytesPerSecond)
    : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var paced = new StreamContent(new PacedStream(await response.Content.ReadAsStreamAsync(cancellationToken), clock, bytesPerSecond));
        foreach (var header in response.Content.Headers)
        {
            paced.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = paced;
        return response;
    }

    private sealed class PacedStream(Stream inner, ManualTimeProvider clock, int bytesPerSecond) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            clock.Advance(TimeSpan.FromSeconds((double)read / bytesPerSecond));
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
