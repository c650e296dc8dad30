using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Models;

public sealed class ModelListingTests
{
    private static ModelStateRecord State(string model, string state)
        => new() { Model = model, State = state, Proxy = "http://x", Cmd = "cmd" };

    [Fact]
    public void Build_SortsSkipsUnlistedAndAddsAliasRecords()
    {
        var config = GatewayHarness.DefaultConfig("http://127.0.0.1:1");
        var states = new Dictionary<string, ModelStateRecord> { ["llama"] = State("llama", ModelStates.Starting) };

        var list = ModelListing.Build(config, states, created: 1234);

        Assert.Equal(["author/model", "gpt-4o-mini", "llama", "qwen"], list.Data.Select(e => e.Id));
        var llama = list.Data.Single(e => e.Id == "llama");
        Assert.Equal("Llama 3", llama.Name);
        Assert.Equal("loaded", llama.Status.Value);
        Assert.Equal("""{"type":"model","aliases":["gpt-4o-mini"]}""", llama.Meta!["llamaswap"]!.ToJsonString());
        var alias = list.Data.Single(e => e.Id == "gpt-4o-mini");
        Assert.Equal("""{"type":"alias","modelID":"llama"}""", alias.Meta!["llamaswap"]!.ToJsonString());
        Assert.Equal("loaded", alias.Status.Value);
        Assert.Equal("unloaded", list.Data.Single(e => e.Id == "qwen").Status.Value);
        Assert.All(list.Data, e => Assert.Equal(1234, e.Created));
    }

    [Fact]
    public void Build_WithoutAliasesInList_ListsOnlyModels()
    {
        var config = GatewayHarness.DefaultConfig("http://127.0.0.1:1") with { IncludeAliasesInList = false };
        var list = ModelListing.Build(config, states: null, created: 1);
        Assert.Equal(["author/model", "llama", "qwen"], list.Data.Select(e => e.Id));
        Assert.All(list.Data, e => Assert.Equal("unloaded", e.Status.Value));
    }
}
