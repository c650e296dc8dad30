using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class ForwardClientAuthConfigTests
{
    [Fact]
    public void Unset_IsOffEverywhere()
    {
        var config = ConfigAssert.Loads("""
            models:
              m: { cmd: "svr ${PORT}" }
            """);

        Assert.False(config.ForwardClientAuth);
        Assert.Null(config.Models["m"].ForwardClientAuth);
        Assert.False(ClientAuthForwarding.To(config, config.Models["m"]));
    }

    [Fact]
    public void PerModel_OverridesTheGlobalSetting_BothWays()
    {
        var config = ConfigAssert.Loads("""
            forwardClientAuth: true
            models:
              follows: { cmd: "svr ${PORT}" }
              off: { cmd: "svr ${PORT}", forwardClientAuth: false }
            """);
        var offGlobally = ConfigAssert.Loads("""
            models:
              on: { cmd: "svr ${PORT}", forwardClientAuth: true }
            """);

        Assert.True(ClientAuthForwarding.To(config, config.Models["follows"]));
        Assert.False(ClientAuthForwarding.To(config, config.Models["off"]));
        Assert.True(ClientAuthForwarding.To(offGlobally, offGlobally.Models["on"]));
    }

    [Fact]
    public void Peers_WithAnApiKeyNever_WithoutOneAsTheGlobalSetting()
    {
        var config = ConfigAssert.Loads("""
            forwardClientAuth: true
            peers:
              keyed: { proxy: "http://peer-a:8080", apiKey: "sk-peer", models: [a] }
              open: { proxy: "http://peer-b:8080", models: [b] }
            """);

        Assert.False(ClientAuthForwarding.To(config, config.Peers.ById["keyed"]));
        Assert.True(ClientAuthForwarding.To(config, config.Peers.ById["open"]));
    }

    [Fact]
    public void NotABoolean_IsAnErrorAtItsLocation_EveryOneReported()
    {
        var result = ConfigAssert.Fails("""
            forwardClientAuth: sometimes
            models:
              m: { cmd: "svr ${PORT}", forwardClientAuth: [yes] }
            """);

        ConfigAssert.HasError(result, "forwardClientAuth", "expected true or false");
        ConfigAssert.HasError(result, "models.m.forwardClientAuth", "expected true or false");
    }

    [Fact]
    public void IsAKnownKey_NoWarning()
    {
        var result = ConfigLoader.LoadYaml("""
            forwardClientAuth: true
            models:
              m: { cmd: "svr ${PORT}", forwardClientAuth: false }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(result.Warnings, w => w.Path.EndsWith("forwardClientAuth", StringComparison.Ordinal));
    }
}
