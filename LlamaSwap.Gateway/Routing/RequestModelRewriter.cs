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

    /// <summary>The body to forward; the request's content type and query are updated in place.</summary>
    public static async Task<ReadOnlyMemory<byte>?> RewriteAsync(HttpRequest request, ReadOnlyMemory<byte>? body, string model)
    {
        if (body is { } buffered)
        {
            if (await ModelNameRewriter.RewriteAsync(request.ContentType, buffered, model) is not { } rewritten)
            {
                return body;
            }

            // A rebuilt multipart form has a new boundary; the buffered body is what gets sent.
            request.ContentType = rewritten.ContentType;
            return rewritten.Body;
        }

        if (request.Query.ContainsKey(ModelKey))
        {
            var rebuilt = new Dictionary<string, StringValues>(request.Query, StringComparer.Ordinal) { [ModelKey] = model };
            request.QueryString = new QueryString(QueryHelpers.AddQueryString(string.Empty, rebuilt));
        }

        return body;
    }
}
