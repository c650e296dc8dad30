using System.Text.Json.Nodes;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>OpenAI <c>usage</c> -> Anthropic token counts.</summary>
internal readonly record struct AnthropicUsage(int InputTokens, int OutputTokens)
{
    public static AnthropicUsage? FromOpenAi(JsonNode? usage)
        => usage is JsonObject
            ? new AnthropicUsage(AnthropicJson.Int(usage["prompt_tokens"]) ?? 0, AnthropicJson.Int(usage["completion_tokens"]) ?? 0)
            : null;

    public JsonObject ToJson() => new() { ["input_tokens"] = InputTokens, ["output_tokens"] = OutputTokens };
}
