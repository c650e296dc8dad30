using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary><c>metadata</c> and <c>capabilities</c> (reference 1.4, 1.6, 6.2 TypedMacrosInMetadata, ModelCapabilities*).</summary>
public sealed class CapabilitiesAndMetadataConfigTests
{
    [Fact]
    public void LoadYaml_TypedMacrosInMetadata_KeepIntFloatBool()
    {
        var config = ConfigAssert.Loads("""
            macros:
              ctx: 8192
              temp: 0.25
              think: true
              name: qwen
            models:
              m:
                cmd: svr ${PORT}
                metadata:
                  port: ${PORT}
                  ctx: ${ctx}
                  temp: ${temp}
                  think: ${think}
                  quoted: "${ctx}"
                  mixed: "${name} on ${PORT}"
                  nested: { list: [ "${temp}", "${think}" ] }
            """);

        Assert.Equal(
            """{"port":5800,"ctx":8192,"temp":0.25,"think":true,"quoted":8192,"mixed":"qwen on 5800","nested":{"list":[0.25,true]}}""",
            config.Models["m"].Metadata!.ToJsonString());
    }

    [Fact]
    public void LoadYaml_UnknownMacroInMetadata_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                metadata:
                  a: ["${missing}"]
            """);

        ConfigAssert.HasError(result, "models.m.metadata.a[0]", "unknown macro '${missing}'");
    }

    [Fact]
    public void LoadYaml_MetadataNotAMapping_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                metadata: [1, 2]
            """);

        ConfigAssert.HasError(result, "models.m.metadata", "expected a mapping");
    }

    [Fact]
    public void LoadYaml_Capabilities_Read()
    {
        var capabilities = ConfigAssert.Loads("""
            macros:
              ctx: 4096
            models:
              m:
                cmd: svr ${PORT}
                capabilities:
                  in: [text, image]
                  out: [text]
                  tools: true
                  reranker: true
                  context: ${ctx}
            """).Models["m"].Capabilities!;

        Assert.Equal(["text", "image"], capabilities.In);
        Assert.Equal(["text"], capabilities.Out);
        Assert.True(capabilities.Tools);
        Assert.True(capabilities.Reranker);
        Assert.Equal(4096, capabilities.Context);
    }

    [Fact]
    public void LoadYaml_AllDefaultCapabilities_MeanNone()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr ${PORT}
                capabilities:
                  in: []
                  tools: false
                  context: 0
            """);

        Assert.Null(config.Models["m"].Capabilities);
    }

    [Fact]
    public void LoadYaml_BadCapabilities_AllReportedWithPaths()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                capabilities:
                  in: [text, video]
                  out: [Image]
                  tools: yes
                  context: -1
                  vision: true
            """);

        ConfigAssert.HasError(result, "models.m.capabilities.in[1]", "unknown modality \"video\", expected one of text, audio, image");
        ConfigAssert.HasError(result, "models.m.capabilities.out[0]", "unknown modality \"Image\"");
        ConfigAssert.HasError(result, "models.m.capabilities.tools", "expected true or false");
        ConfigAssert.HasError(result, "models.m.capabilities.context", "context must be >= 0, got -1");
        ConfigAssert.HasWarning(result, "models.m.capabilities.vision", "unknown key \"vision\"");
    }
}
