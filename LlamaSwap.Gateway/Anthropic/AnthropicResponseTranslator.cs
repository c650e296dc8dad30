using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>OpenAI chat completion -> Anthropic <c>message</c> (the non-streaming answer).</summary>
internal static class AnthropicResponseTranslator
{
    /// <param name="completion">The upstream's chat completion.</param>
    /// <param name="model">The model name the client asked for, echoed back as Anthropic does.</param>
    public static JsonObject Translate(JsonObject completion, string model)
    {
        var choice = completion["choices"] is JsonArray { Count: > 0 } choices ? choices[0] as JsonObject : null;
        var message = choice?["message"] as JsonObject;

        var content = new JsonArray();
        if (AnthropicJson.String(message?["content"]) is { Length: > 0 } text)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }

        if (message?["tool_calls"] is JsonArray toolCalls)
        {
            foreach (var call in toolCalls)
            {
                content.Add(new JsonObject
                {
                    ["type"] = "tool_use",
                    ["id"] = AnthropicJson.String(call?["id"]) ?? "toolu_" + Guid.NewGuid().ToString("N")[..24],
                    ["name"] = AnthropicJson.String(call?["function"]?["name"]) ?? string.Empty,
                    ["input"] = ParseArguments(AnthropicJson.String(call?["function"]?["arguments"])),
                });
            }
        }

        var usage = AnthropicUsage.FromOpenAi(completion["usage"]) ?? default;
        return new JsonObject
        {
            ["id"] = AnthropicJson.NewMessageId(),
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = StopReasons.FromFinishReason(AnthropicJson.String(choice?["finish_reason"])),
            ["stop_sequence"] = null,
            ["usage"] = usage.ToJson(),
        };
    }

    /// <summary>
    /// Tool arguments arrive as a JSON string; Anthropic's <c>input</c> is an object. A model that
    /// produced invalid JSON still gets its text through, under <c>_raw</c>, rather than a 502.
    /// </summary>
    public static JsonNode ParseArguments(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? new JsonObject { ["_raw"] = arguments };
        }
        catch (JsonException)
        {
            return new JsonObject { ["_raw"] = arguments };
        }
    }
}
