using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>Reads and rebuilds buffered <c>multipart/form-data</c> bodies.</summary>
internal static class MultipartForm
{
    private const string ModelField = "model";

    /// <summary>The <c>model</c> form field, or null (no boundary, malformed body, no such field).</summary>
    public static async Task<string?> FindModelAsync(ReadOnlyMemory<byte> body, string contentType)
    {
        var boundary = BoundaryOf(contentType);
        if (boundary is null)
        {
            return null;
        }

        try
        {
            var reader = new MultipartReader(boundary, AsStream(body));
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (IsField(section, ModelField))
                {
                    using var text = new StreamReader(section.Body, Encoding.UTF8);
                    return await text.ReadToEndAsync();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return null;
        }

        return null;
    }

    /// <summary>
    /// Rebuilds the form with the <c>model</c> field set to <paramref name="model"/> under a new
    /// boundary (the new value must never collide with the old boundary); other parts are copied.
    /// </summary>
    /// <returns>The new body and its <c>Content-Type</c>, or null when the body cannot be parsed.</returns>
    public static async Task<(byte[] Body, string ContentType)?> ReplaceModelAsync(ReadOnlyMemory<byte> body, string contentType, string model)
    {
        var boundary = BoundaryOf(contentType);
        if (boundary is null)
        {
            return null;
        }

        var newBoundary = "llamaswap-" + Guid.NewGuid().ToString("N");
        using var output = new MemoryStream(body.Length + 128);
        var replaced = false;
        try
        {
            var reader = new MultipartReader(boundary, AsStream(body));
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                WriteAscii(output, $"--{newBoundary}\r\n");
                foreach (var header in section.Headers ?? [])
                {
                    foreach (var value in header.Value)
                    {
                        WriteUtf8(output, $"{header.Key}: {value}\r\n");
                    }
                }

                WriteAscii(output, "\r\n");
                if (!replaced && IsField(section, ModelField))
                {
                    WriteUtf8(output, model);
                    replaced = true;
                }
                else
                {
                    await section.Body.CopyToAsync(output);
                }

                WriteAscii(output, "\r\n");
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return null;
        }

        if (!replaced)
        {
            // The name came from the query string: the upstream still has to see the configured name.
            WriteAscii(output, $"--{newBoundary}\r\nContent-Disposition: form-data; name=\"{ModelField}\"\r\n\r\n");
            WriteUtf8(output, model);
            WriteAscii(output, "\r\n");
        }

        WriteAscii(output, $"--{newBoundary}--\r\n");
        return (output.ToArray(), $"multipart/form-data; boundary={newBoundary}");
    }

    private static string? BoundaryOf(string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(parsed.Boundary).Value;
        return string.IsNullOrEmpty(boundary) ? null : boundary;
    }

    private static bool IsField(MultipartSection section, string name)
        => ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
           && disposition.IsFormDisposition()
           && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(name, StringComparison.Ordinal);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> body)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    private static void WriteAscii(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    private static void WriteUtf8(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
