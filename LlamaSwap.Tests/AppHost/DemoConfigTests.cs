using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.AppHost;

public sealed class DemoConfigTests
{
    private const string UpstreamDll = "/opt/llama swap/LlamaSwap.TestUpstream.dll";

    [Fact]
    public void Render_LoadsWithoutErrorsThroughTheRealLoader()
    {
        var result = ConfigLoader.LoadYaml(DemoConfig.Render(UpstreamDll), new Dictionary<string, string>());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(DemoConfig.ModelIds.Order(StringComparer.Ordinal), result.Config!.Models.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_SwapGroupOfThreeAndPersistentEmbedModel()
    {
        var config = ConfigLoader.LoadYaml(DemoConfig.Render(UpstreamDll), new Dictionary<string, string>()).Config!;

        var demo = config.Groups["demo"];
        Assert.True(demo.Swap);
        Assert.True(demo.Exclusive);
        Assert.Equal(["demo-large", "demo-medium", "demo-small"], demo.Members.Order(StringComparer.Ordinal));

        var alwaysOn = config.Groups["always-on"];
        Assert.True(alwaysOn.Persistent);
        Assert.False(alwaysOn.Swap);
        Assert.False(alwaysOn.Exclusive);
        Assert.Equal(["demo-embed"], alwaysOn.Members);

        Assert.Equal("demo-small", config.ResolveModelId("gpt-4o-mini"));
        Assert.All(config.Models.Values, m => Assert.Equal(300, m.TtlSeconds));
    }

    [Fact]
    public void Render_CommandRunsTheTestUpstreamWithItsPortAndModel()
    {
        var config = ConfigLoader.LoadYaml(DemoConfig.Render(UpstreamDll), new Dictionary<string, string>()).Config!;
        var small = config.Models["demo-small"];

        // The path has a space: it must survive shell-word splitting as one argument.
        Assert.Equal(["dotnet", UpstreamDll, "--port"], small.Command.Take(3));
        Assert.Equal(small.Proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), small.Command[3]);
        Assert.Equal("demo-small", small.Command[small.Command.ToList().IndexOf("--model") + 1]);
        Assert.Contains("demo-small", small.Command[small.Command.ToList().IndexOf("--respond") + 1], StringComparison.Ordinal);
    }
}
