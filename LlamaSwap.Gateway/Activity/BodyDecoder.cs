using System.IO.Compression;

namespace LlamaSwap.Gateway.Activity;

/// <summary>Undoes a response's <c>Content-Encoding</c> (gzip, deflate, br) for parsing and captures.</summary>
internal static class BodyDecoder
{
    /// <summary>Decoded bodies larger than this are given up on (a small body can expand enormously).</summary>
    public const int MaxDecodedBytes = 16 * 1024 * 1024;

    /// <returns>The decoded body; the input itself when there is no encoding; null when it cannot be decoded.</returns>
    public static ReadOnlyMemory<byte>? Decode(ReadOnlyMemory<byte> body, string? contentEncoding)
    {
        var encoding = contentEncoding?.Trim();
        if (string.IsNullOrEmpty(encoding) || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        using var compressed = new MemoryStream(body.ToArray(), writable: false);
        using Stream? decoder = encoding.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(compressed, CompressionMode.Decompress),
            // HTTP's "deflate" is zlib-wrapped; ZLibStream reads that.
            "deflate" => new ZLibStream(compressed, CompressionMode.Decompress),
            "br" => new BrotliStream(compressed, CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return null;
        }

        try
        {
            using var decoded = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = decoder.Read(chunk)) > 0)
            {
                if (decoded.Length + read > MaxDecodedBytes)
                {
                    return null;
                }

                decoded.Write(chunk, 0, read);
            }

            return new ReadOnlyMemory<byte>(decoded.GetBuffer(), 0, (int)decoded.Length);
        }
        catch (InvalidDataException)
        {
            // Corrupt or cut short: nothing to parse.
            return null;
        }
    }
}
