using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>
/// <c>/v1/messages/count_tokens</c> for OpenAI-only models, which have no such endpoint: characters
/// of all text in the request divided by 4, rounded up (a common rule of thumb for English). The
/// text is the system prompt, every text block and tool result, tool calls' inputs as JSON, and
/// tool names, descriptions and schemas as JSON.
/// </summary>
internal static class TokenEstimator
{
    private const int CharactersPerToken = 4;

    public static int Estimate(JsonObject request)
    {
        long characters = TextLength(request["system"]) + TextLength(request["messages"]);
        if (request["tools"] is JsonArray tools)
        {
            foreach (var tool in tools.OfType<JsonObject>())
            {
                characters += (AnthropicJson.String(tool["name"])?.Length ?? 0)
                    + (AnthropicJson.String(tool["description"])?.Length ?? 0)
                    + (tool["input_schema"] is { } schema ? AnthropicJson.Serialize(schema).Length : 0);
            }
        }

        return (int)Math.Min(int.MaxValue, (characters + CharactersPerToken - 1) / CharactersPerToken);
    }

    /// <summary>Text in a content shape: a string, a block, a message, or a list of any of them.</summary>
    private static long TextLength(JsonNode? node) => node switch
    {
        JsonValue when AnthropicJson.String(node) is { } text => text.Length,
        JsonArray array => array.Sum(TextLength),
        JsonObject block when AnthropicJson.String(block["type"]) == "tool_use" && block["input"] is { } input
            => AnthropicJson.Serialize(input).Length,
        // Messages, text blocks and tool results: only the text-bearing fields count.
        JsonObject obj => TextLength(obj["content"]) + TextLength(obj["text"]),
        _ => 0,
    };
}
