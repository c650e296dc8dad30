using System.Text.Json.Nodes;
using LlamaSwap.Gateway.Anthropic;

namespace LlamaSwap.Tests.Gateway.Anthropic;

public sealed class AnthropicResponseTranslatorTests
{
    private static JsonObject Completion(string message, string? finishReason, string usage = """{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}""")
        => JsonNode.Parse($$"""
            {"id":"chatcmpl-1","object":"chat.completion","model":"upstream-name",
             "choices":[{"index":0,"message":{{message}},"finish_reason":{{(finishReason is null ? "null" : $"\"{finishReason}\"")}}}],
             "usage":{{usage}}}
            """)!.AsObject();

    [Fact]
    public void Translate_TextCompletion_BecomesAnthropicMessage()
    {
        var message = AnthropicResponseTranslator.Translate(Completion("""{"role":"assistant","content":"hello there"}""", "stop"), "requested-name");

        Assert.StartsWith("msg_", (string?)message["id"], StringComparison.Ordinal);
        Assert.Equal("message", (string?)message["type"]);
        Assert.Equal("assistant", (string?)message["role"]);
        Assert.Equal("requested-name", (string?)message["model"]);
        Assert.Equal("""[{"type":"text","text":"hello there"}]""", message["content"]!.ToJsonString());
        Assert.Equal("end_turn", (string?)message["stop_reason"]);
        Assert.Equal("""{"input_tokens":7,"output_tokens":3}""", message["usage"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolCalls_BecomeToolUseBlocks()
    {
        var message = AnthropicResponseTranslator.Translate(Completion("""
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]}
            """, "tool_calls"), "m");

        Assert.Equal("""[{"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Paris"}}]""", message["content"]!.ToJsonString());
        Assert.Equal("tool_use", (string?)message["stop_reason"]);
    }

    [Fact]
    public void Translate_InvalidToolArguments_KeptAsRawText()
        => Assert.Equal("""{"_raw":"{not json"}""", AnthropicResponseTranslator.ParseArguments("{not json").ToJsonString());

    [Fact]
    public void Translate_NoUsage_ReportsZeroTokens()
    {
        var message = AnthropicResponseTranslator.Translate(Completion("""{"role":"assistant","content":"x"}""", "stop", "null"), "m");

        Assert.Equal("""{"input_tokens":0,"output_tokens":0}""", message["usage"]!.ToJsonString());
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("function_call", "tool_use")]
    [InlineData("content_filter", "refusal")]
    [InlineData(null, "end_turn")]
    public void StopReason_MappedFromFinishReason(string? finishReason, string expected)
        => Assert.Equal(expected, StopReasons.FromFinishReason(finishReason));
}
