using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary><c>profiles</c> (reference 1.9, 6.2 profiles/selectors validation).</summary>
public sealed class ProfileConfigTests
{
    private const string Models = """
        models:
          a:
            cmd: "srv --port ${PORT}"
            aliases: [a-alias]
            filters: { setParamsByID: { "a:hot": { temperature: 1.5 } } }
        peers:
          p: { proxy: "http://10.0.0.2", models: [remote] }
        selectors:
          sel: { strategy: pin, targets: [a] }

        """;

    [Fact]
    public void LoadYaml_Profile_PinsEveryKindOfTargetAndNull()
    {
        var config = ConfigAssert.Loads(Models + """
            profiles:
              coding:
                description: for code
                pins:
                  m: a
                  al: a-alias
                  byid: "a:hot"
                  peer: p/remote
                  bare: remote
                  virt: sel
                  off: ~
                  empty: ""
            """);

        var profile = config.Profiles["coding"];
        Assert.Equal("for code", profile.Description);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["al"] = "a-alias", ["bare"] = "remote", ["byid"] = "a:hot", ["empty"] = null, ["m"] = "a", ["off"] = null,
                ["peer"] = "p/remote", ["virt"] = "sel",
            },
            profile.Pins);
    }

    [Theory]
    [InlineData("x: [a]", "profiles.x", "no longer take a list of models")]
    [InlineData("x: { description: d }", "profiles.x.pins", "needs at least one pin")]
    [InlineData("x: { pins: {} }", "profiles.x.pins", "needs at least one pin")]
    [InlineData("x: { pins: { \"p/remote\": a } }", "profiles.x.pins.p/remote", "same name as peer model p/remote")]
    [InlineData("\"\": { pins: { n: a } }", "profiles.", "profile name must not be empty")]
    [InlineData("x: { pins: { \" \": a } }", "profiles.x.pins. ", "pin name must not be empty")]
    public void LoadYaml_InvalidProfile_FailsWithPathAndReason(string profiles, string path, string message)
    {
        var result = ConfigAssert.Fails(Models + "profiles:\n  " + profiles + "\n");

        ConfigAssert.HasError(result, path, message);
    }

    [Fact]
    public void LoadYaml_UnknownPinTarget_IsDroppedWithWarning_AndAnEmptiedProfileToo()
    {
        var result = ConfigLoader.LoadYaml(Models + """
            profiles:
              partly: { pins: { x: ghost, y: a } }
              gone: { pins: { x: ghost } }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(new Dictionary<string, string?> { ["y"] = "a" }, result.Config!.Profiles["partly"].Pins);
        Assert.False(result.Config.Profiles.ContainsKey("gone"));
        ConfigAssert.HasWarning(result, "profiles.partly.pins.x", "unknown target 'ghost' (ignored)");
        ConfigAssert.HasWarning(result, "profiles.gone.pins", "no known pins left (profile ignored)");
    }
}
