using System.Text;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Pipeline.Extraction;
using LlamaSwap.Gateway.Routing;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Routing;

public sealed class RequestFiltersTests
{
    private const string Json = "application/json";

    private static ModelConfig Model(ModelFilters filters, string? useModelName = null)
        => GatewayHarness.Model("m", "http://127.0.0.1:1") with { Filters = filters, UseModelName = useModelName };

    private static JsonObject Params(string json) => JsonNode.Parse(json)!.AsObject();

    private static async Task<string?> ApplyAsync(ModelConfig model, string requested, string body, string contentType = Json)
        => await RequestFilters.ApplyAsync(model, requested, contentType, Encoding.UTF8.GetBytes(body)) is { } result
            ? Encoding.UTF8.GetString(result.Body)
            : null;

    private static readonly ModelFilters Variants = new()
    {
        StripParams = ["temperature", "top_p"],
        SetParams = Params("""{"temperature":0.7,"chat_template_kwargs.reasoning_effort":"medium"}"""),
        SetParamsById = new Dictionary<string, JsonObject>
        {
            ["m:high"] = Params("""{"chat_template_kwargs.reasoning_effort":"high","max_tokens":64}"""),
        },
    };

    [Fact]
    public async Task Json_AppliesUseModelNameStripSetThenSetById()
    {
        var filtered = await ApplyAsync(
            Model(Variants, useModelName: "org/real"), "m:high", """{"model":"m:high","temperature":1,"top_p":0.5,"messages":[]}""");

        // temperature is stripped and then set again (so it moves to the end): setParams runs after
        // stripParams, in sorted key order; reasoning_effort comes from setParamsByID, which runs last.
        Assert.Equal(
            """{"model":"org/real","messages":[],"chat_template_kwargs":{"reasoning_effort":"high"},"temperature":0.7,"max_tokens":64}""",
            filtered);
    }

    [Fact]
    public async Task Json_SetParamsByIdAppliesOnlyToTheRequestedName()
    {
        var filtered = await ApplyAsync(Model(Variants), "m", """{"model":"m","temperature":1}""");

        Assert.Equal("""{"model":"m","chat_template_kwargs":{"reasoning_effort":"medium"},"temperature":0.7}""", filtered);
    }

    [Fact]
    public async Task Json_OnlySetParamsByIdForAnotherName_BodyLeftAsSent()
    {
        var filters = Variants with { StripParams = [], SetParams = null };

        Assert.Null(await ApplyAsync(Model(filters), "m", """{"model":"m","max_tokens":1}"""));
        Assert.Equal(
            """{"model":"m:high","max_tokens":64,"chat_template_kwargs":{"reasoning_effort":"high"}}""",
            await ApplyAsync(Model(filters), "m:high", """{"model":"m:high","max_tokens":1}"""));
    }

    [Fact]
    public async Task Json_NestedPaths_SetMergesIntoExistingObjectAndStripRemovesNestedKey()
    {
        var filters = new ModelFilters
        {
            StripParams = ["options.seed"],
            SetParams = Params("""{"options.sampler.top_k":40}"""),
        };

        var filtered = await ApplyAsync(Model(filters), "m", """{"model":"m","options":{"seed":7,"keep":true}}""");

        Assert.Equal("""{"model":"m","options":{"keep":true,"sampler":{"top_k":40}}}""", filtered);
    }

    [Fact]
    public async Task Json_NothingChanges_ReturnsNullSoTheOriginalBytesAreForwarded()
    {
        var filters = new ModelFilters
        {
            StripParams = ["absent", "deep.absent"],
            SetParams = Params("""{"temperature":0.7,"kw":{"a":[1,2]}}"""),
        };

        // Values already equal to what setParams wants count as no change.
        Assert.Null(await ApplyAsync(Model(filters), "m", """{ "model" : "m", "temperature": 0.7, "kw": {"a": [1, 2]} }"""));
        Assert.Null(await ApplyAsync(Model(ModelFilters.None), "m", """{"model":"m","temperature":2}"""));
    }

    [Fact]
    public async Task Json_OnlyModelNameChanges_EveryOtherByteKept()
    {
        var filters = new ModelFilters { StripParams = ["absent"] };
        const string body = "{ \"model\" : \"m\",\n \"x\": 1.50e2 }";

        var filtered = await ApplyAsync(Model(filters, useModelName: "real"), "m", body);

        Assert.Equal("{ \"model\" : \"real\",\n \"x\": 1.50e2 }", filtered);
    }

    [Fact]
    public async Task Json_Rewritten_KeepsNumbersAndNonAsciiTextAsSent()
    {
        var filters = new ModelFilters { StripParams = ["drop"] };

        var filtered = await ApplyAsync(Model(filters), "m", """{"model":"m","drop":1,"content":"café <b>","x":1.50e2}""");

        Assert.Equal("""{"model":"m","content":"café <b>","x":1.50e2}""", filtered);
    }

    [Fact]
    public async Task Json_ModelIsProtectedEvenInAHandBuiltConfig()
    {
        var filters = new ModelFilters
        {
            StripParams = ["model"],
            SetParams = Params("""{"model":"evil","model.x":1}"""),
        };

        Assert.Null(await ApplyAsync(Model(filters), "m", """{"model":"m"}"""));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"model\":\"m\",")]
    [InlineData("{\"model\":\"m\",\"a\":1,\"a\":2}")]
    public async Task Json_NotAnEditableObject_ForwardedAsSent(string body)
        => Assert.Null(await ApplyAsync(Model(Variants), "m", body));

    [Fact]
    public async Task Multipart_OnlyUseModelNameApplied()
    {
        const string body = "--XyZ\r\nContent-Disposition: form-data; name=\"temperature\"\r\n\r\n1\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--XyZ--\r\n";
        var bytes = Encoding.UTF8.GetBytes(body);

        var rewritten = await RequestFilters.ApplyAsync(Model(Variants, useModelName: "real"), "m", "multipart/form-data; boundary=XyZ", bytes);

        Assert.NotNull(rewritten);
        Assert.Equal("real", await MultipartForm.FindModelAsync(rewritten.Value.Body, rewritten.Value.ContentType));
        var text = Encoding.UTF8.GetString(rewritten.Value.Body);
        Assert.Contains("name=\"temperature\"\r\n\r\n1\r\n", text);
        Assert.DoesNotContain("reasoning_effort", text);
        Assert.Null(await RequestFilters.ApplyAsync(Model(Variants), "m", "multipart/form-data; boundary=XyZ", bytes));
    }

    [Fact]
    public async Task UrlEncoded_NeverFiltered()
        => Assert.Null(await ApplyAsync(Model(Variants, useModelName: "real"), "m", "model=m&temperature=1", "application/x-www-form-urlencoded"));
}
