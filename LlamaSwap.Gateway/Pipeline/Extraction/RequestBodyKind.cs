namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>How a request body is read to find the model (reference section 2.1.1).</summary>
internal enum RequestBodyKind
{
    /// <summary>No inspectable body: the model comes from the query string.</summary>
    None,

    /// <summary><c>Content-Type</c> contains <c>application/json</c>.</summary>
    Json,

    /// <summary><c>multipart/form-data</c>.</summary>
    Multipart,

    /// <summary><c>application/x-www-form-urlencoded</c>.</summary>
    UrlEncodedForm,
}

internal static class RequestBodyKinds
{
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
}
