using System.Text.Json.Nodes;
using LlamaSwap.Gateway.Anthropic;

namespace LlamaSwap.Tests.Gateway.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    private static JsonObject Translate(string json) => AnthropicRequestTranslator.Translate(JsonNode.Parse(json)!.AsObject());

    private static string Json(JsonNode? node) => AnthropicJson.Serialize(node!);

    [Fact]
    public void Translate_SystemStringAndMultiTurn_BecomeChatMessagesInOrder()
    {
        var chat = Translate("""
            {"model":"m","max_tokens":64,"system":"be brief",
             "messages":[
               {"role":"user","content":"hi"},
               {"role":"assistant","content":[{"type":"text","text":"hello"}]},
               {"role":"user","content":[{"type":"text","text":"how are you"}]}]}
            """);

        Assert.Equal(
            """[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"how are you"}]""",
            Json(chat["messages"]));
        Assert.Equal("m", (string?)chat["model"]);
        Assert.Equal(64, (int?)chat["max_tokens"]);
        Assert.Null(chat["stream"]);
    }

    [Fact]
    public void Translate_SystemTextBlocks_JoinedIntoOneSystemMessage()
    {
        var chat = Translate("""
            {"model":"m","system":[{"type":"text","text":"one"},{"type":"text","text":"two","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"x"}]}
            """);

        Assert.Equal("""{"role":"system","content":"one\n\ntwo"}""", Json(chat["messages"]![0]));
    }

    [Fact]
    public void Translate_SamplingParameters_Mapped()
    {
        var chat = Translate("""
            {"model":"m","max_tokens":10,"temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END"],
             "metadata":{"user_id":"u1"},"messages":[{"role":"user","content":"x"}]}
            """);

        Assert.Equal(0.5, (double?)chat["temperature"]);
        Assert.Equal(0.9, (double?)chat["top_p"]);
        Assert.Equal(40, (int?)chat["top_k"]);
        Assert.Equal("""["END"]""", Json(chat["stop"]));
        Assert.Equal("u1", (string?)chat["user"]);
        Assert.Null(chat["stop_sequences"]);
    }

    [Fact]
    public void Translate_Stream_AsksForUsageInTheStream()
    {
        var chat = Translate("""{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}""");

        Assert.True((bool?)chat["stream"]);
        Assert.True((bool?)chat["stream_options"]!["include_usage"]);
    }

    [Fact]
    public void Translate_ToolsToolUseAndToolResult_BecomeFunctionsCallsAndToolMessages()
    {
        var chat = Translate("""
            {"model":"m","tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true},
             "tools":[{"name":"weather","description":"gets weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[
               {"role":"user","content":"weather in Paris?"},
               {"role":"assistant","content":[{"type":"text","text":"checking"},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}]},{"type":"text","text":"thanks"}]}]}
            """);

        Assert.Equal(
            """[{"type":"function","function":{"name":"weather","description":"gets weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""",
            Json(chat["tools"]));
        Assert.Equal("""{"type":"function","function":{"name":"weather"}}""", Json(chat["tool_choice"]));
        Assert.False((bool?)chat["parallel_tool_calls"]);

        var messages = chat["messages"]!.AsArray();
        Assert.Equal(
            """{"role":"assistant","content":"checking","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]}""",
            Json(messages[1]));
        // The tool message must come right after the assistant's call, before the user's own text.
        Assert.Equal("""{"role":"tool","tool_call_id":"toolu_1","content":"sunny"}""", Json(messages[2]));
        Assert.Equal("""{"role":"user","content":"thanks"}""", Json(messages[3]));
    }

    [Theory]
    [InlineData("""{"type":"any"}""", "\"required\"")]
    [InlineData("""{"type":"auto"}""", "\"auto\"")]
    [InlineData("""{"type":"none"}""", "\"none\"")]
    public void Translate_ToolChoice_Mapped(string anthropic, string openAi)
    {
        var chat = Translate($$"""{"model":"m","tool_choice":{{anthropic}},"messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal(openAi, Json(chat["tool_choice"]));
    }

    [Fact]
    public void Translate_Image_BecomesDataUrlPart()
    {
        var chat = Translate("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA"}},{"type":"text","text":"what is it"}]}]}
            """);

        Assert.Equal(
            """[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAA"}},{"type":"text","text":"what is it"}]""",
            Json(chat["messages"]![0]!["content"]));
    }

    [Fact]
    public void Translate_UnsupportedBlock_NamesTheBlockTypeAndWhere()
    {
        var ex = Assert.Throws<AnthropicRequestException>(() => Translate("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"document","source":{}}]}]}
            """));

        Assert.Equal("messages.0.content.0: content block type \"document\" is not supported for an OpenAI-only model", ex.Message);
    }

    [Fact]
    public void Translate_ServerTool_Rejected()
    {
        var ex = Assert.Throws<AnthropicRequestException>(() => Translate("""
            {"model":"m","tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"x"}]}
            """));

        Assert.Contains("web_search_20250305", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "messages: expected an array")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"x"}]}""", "messages.0.role")]
    public void Translate_MalformedRequest_Rejected(string json, string expected)
    {
        var ex = Assert.Throws<AnthropicRequestException>(() => Translate(json));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }
}
