using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class OpenAiOnlySettingTests
{
    [Fact]
    public void LoadYaml_OpenAiOnly_ReadPerModelAndDefaultsToFalse()
    {
        var result = ConfigLoader.LoadYaml("""
            models:
              a: { cmd: "svr ${PORT}", openaiOnly: true }
              b: { cmd: "svr ${PORT}", openaiOnly: false }
              c: { cmd: "svr ${PORT}" }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.True(result.Config!.Models["a"].OpenAiOnly);
        Assert.False(result.Config.Models["b"].OpenAiOnly);
        Assert.False(result.Config.Models["c"].OpenAiOnly);
        // A supported key must not be reported as ignored.
        Assert.DoesNotContain(result.Warnings, w => w.Path.EndsWith("openaiOnly", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_OpenAiOnlyNotABool_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a: { cmd: "svr ${PORT}", openaiOnly: sometimes }
            """);

        ConfigAssert.HasError(result, "models.a.openaiOnly", "expected true or false");
    }
}
