namespace LlamaSwap.Gateway.Anthropic;

/// <summary>OpenAI <c>finish_reason</c> -> Anthropic <c>stop_reason</c>.</summary>
internal static class StopReasons
{
    public static string FromFinishReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        // "stop", and servers that end without saying why.
        _ => "end_turn",
    };
}
