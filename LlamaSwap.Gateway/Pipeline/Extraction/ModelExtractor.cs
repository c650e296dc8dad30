using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>Finds the model name a request asks for (reference section 2.1.1).</summary>
internal static class ModelExtractor
{
    /// <summary>The requested model name, a problem when the body is unreadable, and the body's forwarded content type.</summary>
    /// <param name="contentType">The <c>Content-Type</c> the client declared.</param>
    /// <param name="body">The buffered body; empty for requests without one.</param>
    public static async Task<ExtractedModel> ExtractAsync(string method, string? contentType, IQueryCollection query, ReadOnlyMemory<byte> body)
    {
        if (!HttpMethods.IsPost(method))
        {
            return new ExtractedModel(NullIfEmpty(query["model"].ToString()), null, contentType);
        }

        string? problem = null;
        var kind = RequestBodyKinds.Of(contentType, body.Span);
        var name = kind switch
        {
            // A JSON body names the model or nothing: the query is not a fallback for JSON.
            RequestBodyKind.Json => JsonModelField.Find(body.Span, out problem)?.Value,

            // Read as JSON (a malformed one is refused just the same), but the client did not say JSON:
            // a body without a model keeps the query fallback it had as a form.
            RequestBodyKind.UndeclaredJson => JsonModelField.Find(body.Span, out problem)?.Value is { Length: > 0 } fromBody
                ? fromBody
                : problem is null ? query["model"].ToString() : null,
            RequestBodyKind.Multipart => await MultipartForm.FindModelAsync(body, contentType!) is { Length: > 0 } field
                ? field
                : query["model"].ToString(),
            RequestBodyKind.UrlEncodedForm => FormField(body) ?? query["model"].ToString(),

            // Any other content type (octet-stream, a text body that is not JSON, none): only the query.
            _ => query["model"].ToString(),
        };

        var forwardedType = kind == RequestBodyKind.UndeclaredJson ? RequestBodyKinds.JsonContentType : contentType;
        return new ExtractedModel(NullIfEmpty(name), problem, forwardedType);
    }

    private static string? NullIfEmpty(string? name) => string.IsNullOrEmpty(name) ? null : name;

    private static string? FormField(ReadOnlyMemory<byte> body)
    {
        var form = QueryHelpers.ParseNullableQuery(Encoding.UTF8.GetString(body.Span));
        return form is not null && form.TryGetValue("model", out var value) && value.Count > 0 && !string.IsNullOrEmpty(value[0])
            ? value[0]
            : null;
    }
}
