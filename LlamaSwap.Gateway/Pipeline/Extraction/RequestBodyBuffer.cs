using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>
/// Reads a whole request body into memory, refusing bodies over a limit (the gateway, to find and
/// filter the model; the auth proxy, to check a model-restricted key's model), and puts one back.
/// </summary>
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

    /// <summary>Makes <paramref name="body"/> the request body, with its exact length (for forwarding after a read).</summary>
    public static void Replace(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        request.Body = new MemoryStream(body.ToArray(), writable: false);
        request.Headers.Remove("Transfer-Encoding");
        request.ContentLength = body.Length;
    }
}
