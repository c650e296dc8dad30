using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlamaSwap.Core.Http;

/// <summary>
/// Anthropic's error envelope, <c>{"type":"error","error":{"type":..,"message":..}}</c>, for errors
/// answered on the Anthropic Messages routes: the Anthropic SDKs read the message from that shape
/// only, so a refusal in llama-swap's envelope (<see cref="ErrorResponses"/>) reaches the user as a
/// bare status. Any hop that refuses a request uses <see cref="WriteForRouteAsync"/>.
/// </summary>
public static class AnthropicErrorResponses
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// <c>/v1/messages</c>, <c>/v1/messages/count_tokens</c> and their versionless <c>/v/</c> forms,
    /// matched as the gateway's routing matches them (case-insensitive, a trailing slash ignored).
    /// </summary>
    public static bool IsAnthropicRoute(string? path)
    {
        var trimmed = path.AsSpan().TrimEnd('/');
        return trimmed.Equals("/v1/messages", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("/v1/messages/count_tokens", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("/v/messages", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("/v/messages/count_tokens", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Anthropic's error type for an HTTP status, so SDKs raise the matching exception.</summary>
    public static string TypeFor(int statusCode) => statusCode switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };

    /// <summary>The envelope as JSON text.</summary>
    public static string FormatJson(int statusCode, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", TypeFor(statusCode));
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the error in Anthropic's envelope unless the response has already started.</summary>
    /// <returns>False when headers were already sent, so nothing could be written.</returns>
    public static async Task<bool> WriteAsync(HttpContext context, int statusCode, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(FormatJson(statusCode, message));
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
        return true;
    }

    /// <summary>
    /// The error in the envelope the request's client reads: Anthropic's on the Anthropic routes,
    /// llama-swap's (<see cref="ErrorResponses.WriteAsync"/>, with <paramref name="code"/>) elsewhere.
    /// </summary>
    /// <returns>False when headers were already sent, so nothing could be written.</returns>
    public static Task<bool> WriteForRouteAsync(HttpContext context, int statusCode, string message, string? code = null)
        => IsAnthropicRoute(context.Request.Path.Value)
            ? WriteAsync(context, statusCode, message)
            : ErrorResponses.WriteAsync(context, statusCode, message, code);
}
