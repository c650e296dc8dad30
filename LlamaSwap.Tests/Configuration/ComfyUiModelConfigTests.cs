using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary>The model <c>/comfyui</c> serves gets llama-swap's settings whatever its config says.</summary>
public sealed class ComfyUiModelConfigTests
{
    [Theory]
    [InlineData("", 50)]
    [InlineData(", concurrencyLimit: 5", 50)]
    [InlineData(", concurrencyLimit: 80", 80)]
    public void ComfyUiAuto_ConcurrencyLimitIsAtLeast50(string setting, int expected)
    {
        var config = ConfigAssert.Loads($$"""
            models:
              comfyui_auto: { cmd: "svr ${PORT}"{{setting}} }
              other: { cmd: "svr ${PORT}", concurrencyLimit: 5 }
            """);

        Assert.Equal(expected, config.Models[ModelConfig.ComfyUiModelId].ConcurrencyLimit);
        Assert.Equal(5, config.Models["other"].ConcurrencyLimit);
    }

    [Fact]
    public void ComfyUiAuto_IgnoresWebsockets_EvenWhenTheConfigSaysOtherwise()
    {
        var config = ConfigAssert.Loads("""
            models:
              comfyui_auto: { cmd: "svr ${PORT}", compat: { ignoreWebsockets: false } }
            """);

        Assert.True(config.Models[ModelConfig.ComfyUiModelId].IgnoreWebsockets);
    }
}
