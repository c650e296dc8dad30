using LlamaSwap.Gateway.Pipeline.Extraction;

namespace LlamaSwap.Gateway.Routing;

/// <summary>Applies a model's <c>useModelName</c> to a buffered body (reference section 2.1.2).</summary>
internal static class ModelNameRewriter
{
    /// <summary>The rewritten body and content type, or null when the body is left as sent.</summary>
    public static async Task<(byte[] Body, string ContentType)?> RewriteAsync(string? contentType, ReadOnlyMemory<byte> body, string useModelName)
    {
        switch (RequestBodyKinds.Of(contentType))
        {
            case RequestBodyKind.Json:
                return JsonModelField.Find(body.Span) is { } field
                    ? (field.Replace(body.Span, useModelName), contentType!)
                    : null;

            case RequestBodyKind.Multipart:
                return await MultipartForm.ReplaceModelAsync(body, contentType!, useModelName);

            default:
                // GET and url-encoded requests are never filtered.
                return null;
        }
    }
}
