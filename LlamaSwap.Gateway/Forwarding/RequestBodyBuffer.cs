using System.Buffers;

namespace LlamaSwap.Gateway.Forwarding;

/// <summary>Reads a whole request body into memory, refusing bodies over a limit.</summary>
internal static class RequestBodyBuffer
{
    /// <returns>The body, or null when it exceeds <paramref name="limit"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Not disposed: the returned memory is this stream's buffer.
        var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, limit));
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
