using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Routing;

/// <summary>Filters on the real proxy path: fake supervisor, real sockets, fake upstream.</summary>
public sealed class RequestFiltersForwardingTests
{
    private static LlamaSwapConfig Config(string upstreamUrl) => new()
    {
        Models = new Dictionary<string, ModelConfig>
        {
            ["gpt"] = GatewayHarness.Model("gpt", upstreamUrl) with
            {
                UseModelName = "openai/gpt",
                Aliases = ["gpt:high"],
                Filters = new ModelFilters
                {
                    StripParams = ["top_p"],
                    SetParams = JsonNode.Parse("""{"temperature":0.7}""")!.AsObject(),
                    SetParamsById = new Dictionary<string, JsonObject>
                    {
                        ["gpt:high"] = JsonNode.Parse("""{"chat_template_kwargs.reasoning_effort":"high"}""")!.AsObject(),
                    },
                },
            },
        },
        Aliases = new Dictionary<string, string> { ["gpt:high"] = "gpt" },
    };

    [Fact]
    public async Task SetParamsByIdAlias_UpstreamReceivesFilteredBodyWithItsLength()
    {
        await using var harness = await GatewayHarness.StartAsync(Config);
        using var content = new StringContent("""{"model":"gpt:high","top_p":0.1,"temperature":2,"messages":[]}""", Encoding.UTF8, "application/json");

        using var response = await harness.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = FakeUpstream.ParseEcho(await response.Content.ReadAsStringAsync());
        const string expected = """{"model":"openai/gpt","temperature":0.7,"messages":[],"chat_template_kwargs":{"reasoning_effort":"high"}}""";
        Assert.Equal(expected, echo.GetProperty("body").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), echo.GetProperty("contentLength").GetInt64());
        Assert.Equal("gpt", Assert.Single(harness.Supervisor.Acquires).Model);
    }
}
