using Microsoft.Net.Http.Headers;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>How a request body is read to find the model (reference section 2.1.1).</summary>
internal enum RequestBodyKind
{
    /// <summary>No inspectable body: the model comes from the query string.</summary>
    None,

    /// <summary><c>Content-Type</c> contains <c>application/json</c>.</summary>
    Json,

    /// <summary>
    /// A JSON object sent as a url-encoded form, as <c>text/plain</c> or without a <c>Content-Type</c>
    /// (<c>curl -d '{...}'</c> sends a form type): read as JSON, forwarded as <c>application/json</c>.
    /// </summary>
    UndeclaredJson,

    /// <summary><c>multipart/form-data</c>.</summary>
    Multipart,

    /// <summary><c>application/x-www-form-urlencoded</c>.</summary>
    UrlEncodedForm,
}

internal static class RequestBodyKinds
{
    /// <summary>What an <see cref="RequestBodyKind.UndeclaredJson"/> body is forwarded as.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The kind the declared <c>Content-Type</c> alone says.</summary>
    public static RequestBodyKind Of(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return RequestBodyKind.None;
        }

        if (contentType.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return RequestBodyKind.Json;
        }

        if (contentType.Contains("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return RequestBodyKind.Multipart;
        }

        return contentType.Contains("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            ? RequestBodyKind.UrlEncodedForm
            : RequestBodyKind.None;
    }

    /// <summary>
    /// As <see cref="Of(string?)"/>, except that a body whose first non-whitespace byte is <c>{</c> is
    /// JSON when it was declared a url-encoded form, <c>text/plain</c> or nothing: no form field name
    /// starts with a brace, and a JSON object sent with the wrong type is the common mistake (curl's
    /// <c>-d</c>). Other declared types (multipart, octet-stream, ...) are taken at their word.
    /// </summary>
    public static RequestBodyKind Of(string? contentType, ReadOnlySpan<byte> body)
    {
        var declared = Of(contentType);
        var mayBeJson = declared == RequestBodyKind.UrlEncodedForm
            || (declared == RequestBodyKind.None && (string.IsNullOrWhiteSpace(contentType) || IsTextPlain(contentType)));
        return mayBeJson && StartsWithObject(body) ? RequestBodyKind.UndeclaredJson : declared;
    }

    private static bool IsTextPlain(string contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var parsed)
           && parsed.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);

    private static bool StartsWithObject(ReadOnlySpan<byte> body)
    {
        // JSON's own whitespace (RFC 8259): space, tab, line feed, carriage return.
        var start = body.IndexOfAnyExcept(" \t\n\r"u8);
        return start >= 0 && body[start] == (byte)'{';
    }
}
