using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>Finds the model name a request asks for (reference section 2.1.1).</summary>
internal static class ModelExtractor
{
    /// <summary>The requested model name (ID or alias, unresolved): null when none can be identified; a problem when the body is unreadable.</summary>
    /// <param name="body">The buffered body; empty for requests without one.</param>
    public static async Task<(string? Name, string? Problem)> ExtractAsync(string method, string? contentType, IQueryCollection query, ReadOnlyMemory<byte> body)
    {
        string? name;
        string? problem = null;
        if (!HttpMethods.IsPost(method))
        {
            name = query["model"].ToString();
        }
        else
        {
            name = RequestBodyKinds.Of(contentType) switch
            {
                // A JSON body names the model or nothing: the query is not a fallback for JSON.
                RequestBodyKind.Json => JsonModelField.Find(body.Span, out problem)?.Value,
                RequestBodyKind.Multipart => await MultipartForm.FindModelAsync(body, contentType!) is { Length: > 0 } field
                    ? field
                    : query["model"].ToString(),
                RequestBodyKind.UrlEncodedForm => FormField(body) ?? query["model"].ToString(),

                // Unknown or missing content type: a JSON body sent without one is deliberately not inspected.
                _ => query["model"].ToString(),
            };
        }

        return (string.IsNullOrEmpty(name) ? null : name, problem);
    }

    private static string? FormField(ReadOnlyMemory<byte> body)
    {
        var form = QueryHelpers.ParseNullableQuery(Encoding.UTF8.GetString(body.Span));
        return form is not null && form.TryGetValue("model", out var value) && value.Count > 0 && !string.IsNullOrEmpty(value[0])
            ? value[0]
            : null;
    }
}
