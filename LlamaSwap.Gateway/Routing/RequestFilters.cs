using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Pipeline.Extraction;

namespace LlamaSwap.Gateway.Routing;

/// <summary>
/// A model's request filters (reference section 2.1.2): <c>useModelName</c>, then <c>stripParams</c>,
/// <c>setParams</c> and <c>setParamsByID[requested name]</c> on JSON bodies; multipart bodies get
/// only <c>useModelName</c>.
/// </summary>
internal static class RequestFilters
{
    private const string ModelKey = "model";

    // Duplicate keys are refused up front: JsonObject would otherwise throw on first access, mid-edit.
    private static readonly JsonDocumentOptions ParseOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false };

    // Non-ASCII text stays as sent instead of turning into \u escapes.
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The filtered body and its content type, or null when the body is to be forwarded byte for byte.</summary>
    /// <param name="requested">The name the client asked for (model ID, alias or setParamsByID key).</param>
    public static async Task<(byte[] Body, string ContentType)?> ApplyAsync(
        ModelConfig model, string requested, string? contentType, ReadOnlyMemory<byte> body)
    {
        switch (RequestBodyKinds.Of(contentType))
        {
            case RequestBodyKind.Json:
                return ApplyJson(model, requested, body) is { } filtered ? (filtered, contentType!) : null;

            case RequestBodyKind.Multipart when model.UseModelName is { Length: > 0 } useModelName:
                return await ModelNameRewriter.RewriteAsync(contentType, body, useModelName);

            default:
                // GET and url-encoded requests are never filtered.
                return null;
        }
    }

    private static byte[]? ApplyJson(ModelConfig model, string requested, ReadOnlyMemory<byte> body)
    {
        var useModelName = model.UseModelName is { Length: > 0 } name ? name : null;
        if (CanChangeParams(model.Filters, requested) && Parse(body) is { } document && ApplyParams(document, model.Filters, requested))
        {
            if (useModelName is not null)
            {
                document[ModelKey] = useModelName;
            }

            return Serialize(document);
        }

        // Only the model name changes (or nothing): splice it in so every other byte is kept as sent.
        return useModelName is not null && JsonModelField.Find(body.Span) is { } field
            ? field.Replace(body.Span, useModelName)
            : null;
    }

    // Decided before parsing so a model whose only filters are for other requested names costs nothing.
    private static bool CanChangeParams(ModelFilters filters, string requested)
        => filters.StripParams.Count > 0 || filters.SetParams is { Count: > 0 } || filters.SetParamsById.ContainsKey(requested);

    /// <summary>Applies strip, then set, then set-by-ID; true when the document changed.</summary>
    private static bool ApplyParams(JsonObject document, ModelFilters filters, string requested)
    {
        var changed = false;
        foreach (var path in filters.StripParams)
        {
            changed |= !IsProtected(path) && JsonPath.Remove(document, path);
        }

        changed |= SetAll(document, filters.SetParams);
        if (filters.SetParamsById.TryGetValue(requested, out var byId))
        {
            changed |= SetAll(document, byId);
        }

        return changed;
    }

    private static bool SetAll(JsonObject document, JsonObject? parameters)
    {
        if (parameters is null)
        {
            return false;
        }

        // Sorted so that overlapping paths (a, a.b) apply in the same order on every request.
        var changed = false;
        foreach (var (path, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            changed |= !IsProtected(path) && JsonPath.Set(document, path, value);
        }

        return changed;
    }

    // The config loader already drops these; kept here so a hand-built config cannot reroute a request.
    private static bool IsProtected(string path) => JsonPath.Split(path)[0] == ModelKey;

    private static JsonObject? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span, documentOptions: ParseOptions) as JsonObject;
        }
        catch (JsonException)
        {
            // Not a document we can edit: forward it as sent, like any unfiltered body.
            return null;
        }
    }

    private static byte[] Serialize(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
