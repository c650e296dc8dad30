using System.Text.Json.Nodes;
using LlamaSwap.Gateway.Anthropic;

namespace LlamaSwap.Tests.Gateway.Anthropic;

public sealed class TokenEstimatorTests
{
    [Fact]
    public void Estimate_CountsAllTextDividedByFourRoundedUp()
    {
        // system 4 + "hello" 5 + "abc" 3 = 12 characters -> 3 tokens; one more character -> 4.
        var request = JsonNode.Parse("""
            {"model":"m","system":"abcd","messages":[{"role":"user","content":"hello"},{"role":"assistant","content":[{"type":"text","text":"abc"}]}]}
            """)!.AsObject();
        Assert.Equal(3, TokenEstimator.Estimate(request));

        request["messages"]!.AsArray().Add(JsonNode.Parse("""{"role":"user","content":"x"}"""));
        Assert.Equal(4, TokenEstimator.Estimate(request));
    }

    [Fact]
    public void Estimate_IncludesToolDefinitionsAndToolResults()
    {
        var withoutTools = JsonNode.Parse("""{"model":"m","messages":[{"role":"user","content":"x"}]}""")!.AsObject();
        var withTools = JsonNode.Parse("""
            {"model":"m","tools":[{"name":"weather","description":"gets the weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"sunny and warm"}]}]}
            """)!.AsObject();

        Assert.Equal(1, TokenEstimator.Estimate(withoutTools));
        // 7 + 16 + 17 (schema JSON) + 14 = 54 characters -> 14 tokens.
        Assert.Equal(14, TokenEstimator.Estimate(withTools));
    }
}
