using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// Puts a profile's or selector's target into the request in place of the name the client sent,
/// so every later step (filters, peers, the upstream) sees the target as if the client had asked for it.
/// </summary>
internal static class RequestModelRewriter
{
    private const string ModelKey = "model";

    /// <summary>The body to forward and its content type; a request without a buffered body gets its query updated in place.</summary>
    /// <param name="contentType">The buffered body's content type.</param>
    public static async Task<(ReadOnlyMemory<byte>? Body, string? ContentType)> RewriteAsync(
        HttpRequest request, ReadOnlyMemory<byte>? body, string? contentType, string model)
    {
        if (body is { } buffered)
        {
            // A rebuilt multipart form has a new boundary, hence a new content type.
            return await ModelNameRewriter.RewriteAsync(contentType, buffered, model) is { } rewritten
                ? (rewritten.Body, rewritten.ContentType)
                : (body, contentType);
        }

        if (request.Query.ContainsKey(ModelKey))
        {
            var rebuilt = new Dictionary<string, StringValues>(request.Query, StringComparer.Ordinal) { [ModelKey] = model };
            request.QueryString = new QueryString(QueryHelpers.AddQueryString(string.Empty, rebuilt));
        }

        return (body, contentType);
    }
}
