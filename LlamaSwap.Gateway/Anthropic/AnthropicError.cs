using System.Text.Json.Nodes;
using LlamaSwap.Core.Http;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>Anthropic's error envelope, <c>{"type":"error","error":{"type":..,"message":..}}</c>.</summary>
internal static class AnthropicError
{
    /// <summary>Anthropic's error type for an HTTP status (one mapping, shared with the auth proxy's refusals).</summary>
    public static string TypeFor(int statusCode) => AnthropicErrorResponses.TypeFor(statusCode);

    public static JsonObject Envelope(int statusCode, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = TypeFor(statusCode), ["message"] = message },
    };

    /// <summary>
    /// The message of an upstream error body: OpenAI's <c>error.message</c>, a bare <c>error</c>
    /// string, or the text itself (shortened) when it is not JSON.
    /// </summary>
    public static string MessageFromUpstream(int statusCode, string body)
    {
        const int MaxLength = 1000;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                var message = AnthropicJson.String((json["error"] as JsonObject)?["message"])
                    ?? AnthropicJson.String(json["error"])
                    ?? AnthropicJson.String(json["message"]);
                if (!string.IsNullOrEmpty(message))
                {
                    return message;
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the text is the message.
        }

        var text = body.Trim();
        if (text.Length == 0)
        {
            return $"upstream answered {statusCode}";
        }

        return text.Length <= MaxLength ? text : text[..MaxLength] + "...";
    }

    public static async Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await response.WriteAsync(AnthropicJson.Serialize(Envelope(statusCode, message)), context.RequestAborted);
    }
}
