using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Tests.Configuration;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Models;

/// <summary>llama-swap's own example config, unchanged, listed by a real gateway as the reference describes (2.2).</summary>
public sealed class ExampleConfigListingTests
{
    [Fact]
    public async Task ModelsList_OfTheReferenceExample_ShowsItsModelsAliasesSelectorsAndPeers()
    {
        var loaded = ConfigLoader.LoadFile(ExampleConfigTests.ExamplePath(), ExampleConfigTests.Environment);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Errors));
        await using var harness = await GatewayHarness.StartAsync(_ => loaded.Config!);

        using var response = await harness.Client.GetAsync("/v1/models");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = doc.RootElement.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        string TypeOf(string id) => entries[id].GetProperty("meta").GetProperty("llamaswap").GetProperty("type").GetString()!;

        Assert.Equal(entries.Keys.Order(StringComparer.Ordinal), entries.Keys);
        Assert.DoesNotContain("unlisted-model", entries.Keys);
        Assert.Equal("model", TypeOf("gpt-oss-120b"));
        Assert.Equal("model", TypeOf("docker-llama"));

        var gpt = entries["gpt-oss-120b"];
        Assert.Equal("gpt-oss 120B", gpt.GetProperty("name").GetString());
        var aliases = gpt.GetProperty("meta").GetProperty("llamaswap").GetProperty("aliases").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("gpt-4o-mini", aliases);
        Assert.Contains("gpt-oss-120b:high", aliases);
        Assert.Equal(32000, gpt.GetProperty("context_length").GetInt32());
        Assert.Equal("text+audio+image->text+audio+image", gpt.GetProperty("architecture").GetProperty("modality").GetString());
        Assert.Equal("unloaded", gpt.GetProperty("status").GetProperty("value").GetString());

        Assert.Equal("peer", TypeOf("llama-swap-peer/model_a"));
        Assert.Equal("peer", TypeOf("openrouter/z-ai/glm-4.7"));
        Assert.Equal("openrouter: z-ai/glm-4.7", entries["openrouter/z-ai/glm-4.7"].GetProperty("name").GetString());
        Assert.Equal("selector", TypeOf("coding-model"));
        Assert.Equal("warm", entries["coding-model"].GetProperty("meta").GetProperty("llamaswap").GetProperty("strategy").GetString());
    }
}
