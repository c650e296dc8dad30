using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Api;
using LlamaSwap.Gateway.Models;
using LlamaSwap.Tests.Configuration;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Models;

/// <summary>Metadata and capabilities in <c>/v1/models</c> (reference section 2.2).</summary>
public sealed class ModelListingCapabilitiesTests
{
    private static LlamaSwapConfig Config(params ModelConfig[] models) => new()
    {
        Models = models.ToDictionary(m => m.Id, StringComparer.Ordinal),
    };

    private static ModelConfig Model(string id) => GatewayHarness.Model(id, "http://127.0.0.1:1");

    private static string Render(ModelListEntry entry) => JsonSerializer.Serialize(entry, GatewayJson.Options);

    [Fact]
    public void Build_Capabilities_RenderedAsArchitectureCapabilitiesAndContext()
    {
        var model = Model("gpt") with
        {
            Name = "gpt-oss 120B",
            Aliases = ["gpt-4o-mini"],
            Metadata = JsonNode.Parse("""{"port":5800,"type":"mine","architecture":"x86","context_length":1,"capabilities":[],"supported_parameters":[]}""")!.AsObject(),
            Capabilities = new ModelCapabilities { In = ["text", "image"], Out = ["text"], Tools = true, Context = 32000 },
        };
        var states = new Dictionary<string, ModelStateRecord>
        {
            ["gpt"] = new() { Model = "gpt", State = ModelStates.Ready, Proxy = "http://x", Cmd = "cmd" },
        };

        var entry = Assert.Single(ModelListing.Build(Config(model), states, created: 1760000000).Data);

        // User keys named like rendered fields are dropped; internal keys win over user keys.
        const string expected = """
            {"id":"gpt","object":"model","created":1760000000,"owned_by":"llama-swap","name":"gpt-oss 120B",
            "architecture":{"input_modalities":["text","image"],"output_modalities":["text"],"modality":"text+image->text"},
            "capabilities":{"vision":true,"function_calling":true},"supported_parameters":["tools","tool_choice"],"context_length":32000,
            "meta":{"llamaswap":{"port":5800,"type":"model","aliases":["gpt-4o-mini"]},"n_ctx":32000},"status":{"value":"loaded"}}
            """;
        Assert.Equal(expected.ReplaceLineEndings(string.Empty), Render(entry));
    }

    [Theory]
    [InlineData(new[] { "audio" }, new[] { "text" }, """{"audio_transcriptions":true}""")]
    [InlineData(new[] { "text" }, new[] { "audio" }, """{"audio_speech":true}""")]
    [InlineData(new[] { "text" }, new[] { "image" }, """{"image_generation":true}""")]
    [InlineData(new[] { "image" }, new[] { "image" }, """{"vision":true,"image_to_image":true}""")]
    [InlineData(new[] { "text", "audio", "image" }, new[] { "text", "audio", "image" },
        """{"vision":true,"audio_transcriptions":true,"audio_speech":true,"image_generation":true,"image_to_image":true}""")]
    public void Build_ModalityPairs_MapToCapabilityFlags(string[] inputs, string[] outputs, string expected)
    {
        var model = Model("m") with { Capabilities = new ModelCapabilities { In = inputs, Out = outputs } };

        var entry = Assert.Single(ModelListing.Build(Config(model), null, 1).Data);

        Assert.Equal(expected, JsonSerializer.Serialize(entry.Capabilities, GatewayJson.Options));
        Assert.Null(entry.SupportedParameters);
        Assert.Null(entry.ContextLength);
    }

    [Fact]
    public void Build_OnlyInputsOrReranker_NoModalityAndNoEmptyFields()
    {
        var inputsOnly = Model("a") with { Capabilities = new ModelCapabilities { In = ["text"] } };
        var reranker = Model("b") with { Capabilities = new ModelCapabilities { Reranker = true } };

        var data = ModelListing.Build(Config(inputsOnly, reranker), null, 1).Data;

        var a = JsonNode.Parse(Render(data[0]))!;
        Assert.Equal("""{"input_modalities":["text"]}""", a["architecture"]!.ToJsonString());
        Assert.Null(a["capabilities"]);
        Assert.Null(a["meta"]!["n_ctx"]);
        var b = JsonNode.Parse(Render(data[1]))!;
        Assert.Null(b["architecture"]);
        Assert.Equal("""{"reranker":true}""", b["capabilities"]!.ToJsonString());
    }

    [Fact]
    public void Build_WithoutCapabilities_UserMetadataKeptWhole()
    {
        var model = Model("m") with { Metadata = JsonNode.Parse("""{"architecture":"x86","nested":{"a":[1]}}""")!.AsObject() };

        var entry = Assert.Single(ModelListing.Build(Config(model), null, 1).Data);

        Assert.Equal("""{"llamaswap":{"architecture":"x86","nested":{"a":[1]},"type":"model"}}""", entry.Meta!.ToJsonString());
        Assert.Null(entry.Architecture);
        Assert.Null(entry.Capabilities);

        // Each response gets its own copy: the config's metadata is never attached to it.
        Assert.Null(model.Metadata!["nested"]!.Parent!.Parent);
        Assert.Same(model.Metadata, model.Metadata["nested"]!.Parent);
    }

    [Fact]
    public void Build_AliasesInList_IncludeSetParamsByIdKeysWithTheModelsCapabilities()
    {
        var config = ConfigAssert.Loads("""
            includeAliasesInList: true
            models:
              gpt:
                cmd: svr ${PORT}
                name: GPT
                description: thinks
                aliases: [gpt-4o-mini]
                metadata:
                  port: ${PORT}
                capabilities: { in: [text], out: [text], context: 8192 }
                filters:
                  setParamsByID:
                    "${MODEL_ID}": { effort: medium }
                    "${MODEL_ID}:high": { effort: high }
            """);

        var data = ModelListing.Build(config, null, 1).Data;

        Assert.Equal(["gpt", "gpt-4o-mini", "gpt:high"], data.Select(e => e.Id));
        Assert.Equal("""["gpt-4o-mini","gpt:high"]""", data[0].Meta!["llamaswap"]!["aliases"]!.ToJsonString());
        var high = JsonNode.Parse(Render(data[2]))!;
        Assert.Equal("GPT", high["name"]!.GetValue<string>());
        Assert.Equal("thinks", high["description"]!.GetValue<string>());
        Assert.Equal("text->text", high["architecture"]!["modality"]!.GetValue<string>());
        Assert.Equal(8192, high["context_length"]!.GetValue<int>());
        Assert.Equal("""{"llamaswap":{"port":5800,"type":"alias","modelID":"gpt"},"n_ctx":8192}""", high["meta"]!.ToJsonString());
        Assert.Equal("unloaded", high["status"]!["value"]!.GetValue<string>());
    }
}
