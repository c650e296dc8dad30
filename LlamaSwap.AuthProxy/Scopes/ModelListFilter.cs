using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.AuthProxy.Scopes;

/// <summary>
/// <c>/v1/models</c> and <c>/models</c> for a key limited to some models: the gateway's list is
/// buffered and only the entries the key may use are passed on (by the same rule as requests).
/// </summary>
internal static class ModelListFilter
{
    public static async Task ForwardFilteredAsync(HttpContext context, ApiKeyConfig key, LlamaSwapConfig config, RequestDelegate next)
    {
        // An encoded list could not be filtered: ask the gateway for plain JSON.
        context.Request.Headers.AcceptEncoding = "identity";

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = buffer.ToArray();
        if (context.Response.StatusCode == StatusCodes.Status200OK && Filter(bytes, key, config) is { } filtered)
        {
            bytes = filtered;
        }

        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>The list without the models the key may not use; null when the body is not a model list.</summary>
    internal static byte[]? Filter(byte[] json, ApiKeyConfig key, LlamaSwapConfig config)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is not JsonObject list || list["data"] is not JsonArray data)
        {
            return null;
        }

        var kept = new JsonArray();
        foreach (var entry in data.ToList())
        {
            data.Remove(entry);
            if (entry?["id"]?.GetValueKind() == JsonValueKind.String
                && entry["id"]!.GetValue<string>() is var id
                && key.AllowsModel(id, ModelNames.RealId(config, id)))
            {
                kept.Add(entry);
            }
        }

        list["data"] = kept;
        return JsonSerializer.SerializeToUtf8Bytes(list);
    }
}
