using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary><c>selectors</c> (reference 1.10, 6.2 profiles/selectors validation).</summary>
public sealed class SelectorConfigTests
{
    private const string Models = """
        models:
          a: { cmd: "srv --port ${PORT}", aliases: [a-alias] }
          b: { cmd: "srv --port ${PORT}" }
          c: { cmd: "srv --port ${PORT}" }
        peers:
          p: { proxy: "http://10.0.0.2", models: [remote] }

        """;

    [Fact]
    public void LoadYaml_Selectors_ReadEverySettingWithDefaults()
    {
        var config = ConfigAssert.Loads(Models + """
            groups:
              pool: { swap: false, members: [a, b] }
            selectors:
              spill:
                strategy: spillover
                targets: [a-alias, b, p/remote]
                settings: { spillover: 3 }
                name: Spill
                description: spills
                unlisted: true
                metadata: { tier: 2 }
              first: { strategy: pin, targets: [remote] }
            """);

        var spill = config.Selectors["spill"];
        Assert.Equal(SelectorStrategies.Spillover, spill.Strategy);
        Assert.Equal(["a-alias", "b", "p/remote"], spill.Targets);
        Assert.Equal(3, spill.Spillover);
        Assert.Equal("Spill", spill.Name);
        Assert.Equal("spills", spill.Description);
        Assert.True(spill.Unlisted);
        Assert.Equal("""{"tier":2}""", spill.Metadata!.ToJsonString());

        var first = config.Selectors["first"];
        Assert.Equal(1, first.Spillover);
        Assert.False(first.Unlisted);
        Assert.Null(first.Metadata);
    }

    [Theory]
    [InlineData("s: { targets: [a] }", "selectors.s.strategy", "strategy is required")]
    [InlineData("s: { strategy: fastest, targets: [a] }", "selectors.s.strategy", "unknown strategy \"fastest\"")]
    [InlineData("s: { strategy: pin }", "selectors.s.targets", "at least one target")]
    [InlineData("s: { strategy: pin, targets: [] }", "selectors.s.targets", "at least one target")]
    [InlineData("s: { strategy: pin, targets: [a], settings: { spillover: 2 } }", "selectors.s.settings.spillover", "only valid with strategy spillover")]
    [InlineData("s: { strategy: spillover, targets: [a], settings: { spillover: 0 } }", "selectors.s.settings.spillover", "must be >= 1")]
    [InlineData("s: { strategy: pin, targets: [a, a-alias] }", "selectors.s.targets[1]", "targets a twice")]
    [InlineData("s: { strategy: warm, targets: [a, remote] }", "selectors.s.targets[1]", "is not a local model")]
    [InlineData("s: { strategy: pin, targets: [a] }\n  t: { strategy: pin, targets: [s] }", "selectors.t.targets[0]", "cannot target other selectors")]
    [InlineData("a: { strategy: pin, targets: [b] }", "selectors.a", "same name as local model a")]
    [InlineData("a-alias: { strategy: pin, targets: [b] }", "selectors.a-alias", "an alias of local model a")]
    [InlineData("p/remote: { strategy: pin, targets: [b] }", "selectors.p/remote", "same name as peer model p/remote")]
    public void LoadYaml_InvalidSelector_FailsWithPathAndReason(string selectors, string path, string message)
    {
        var result = ConfigAssert.Fails(Models + "selectors:\n  " + selectors + "\n");

        ConfigAssert.HasError(result, path, message);
    }

    [Fact]
    public void LoadYaml_UnknownTargets_AreDroppedWithWarnings_AndAnEmptiedSelectorToo()
    {
        var result = ConfigLoader.LoadYaml(Models + """
            selectors:
              partly: { strategy: pin, targets: [ghost, b] }
              gone: { strategy: warm, targets: [ghost] }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(["b"], result.Config!.Selectors["partly"].Targets);
        Assert.False(result.Config.Selectors.ContainsKey("gone"));
        ConfigAssert.HasWarning(result, "selectors.partly.targets[0]", "unknown target 'ghost' (ignored)");
        ConfigAssert.HasWarning(result, "selectors.gone.targets", "no known targets left (selector ignored)");
    }

    [Fact]
    public void LoadYaml_SpilloverLocalsThatSwapEachOther_Fail()
    {
        // a and b are both in the implicit (default) group, which swaps: they cannot run together.
        var result = ConfigAssert.Fails(Models + "selectors:\n  s: { strategy: spillover, targets: [a, b] }\n");

        ConfigAssert.HasError(result, "selectors.s.targets", "must all be in one group with swap: false");
    }

    [Fact]
    public void LoadYaml_SpilloverLocalsInDifferentNonSwapGroups_Fail()
    {
        var result = ConfigAssert.Fails(Models + """
            groups:
              one: { swap: false, exclusive: false, members: [a] }
              two: { swap: false, exclusive: false, members: [b] }
            selectors:
              s: { strategy: spillover, targets: [a, b] }
            """);

        ConfigAssert.HasError(result, "selectors.s.targets", "must all be in one group with swap: false");
    }

    [Fact]
    public void LoadYaml_SpilloverWithOneLocalAndPeers_NeedsNoGroup()
    {
        var config = ConfigAssert.Loads(Models + "selectors:\n  s: { strategy: spillover, targets: [a, p/remote] }\n");

        Assert.Equal(["a", "p/remote"], config.Selectors["s"].Targets);
    }

    [Fact]
    public void LoadYaml_SpilloverUnderMatrix_LocalsMustShareAnAlternative()
    {
        const string Matrix = """
            routing:
              router:
                use: matrix
                settings:
                  matrix:
                    sets:
                      together: "a & b"
                      alone: "c"

            """;

        var config = ConfigAssert.Loads(Models + Matrix + "selectors:\n  s: { strategy: spillover, targets: [a, b] }\n");
        Assert.Equal(["a", "b"], config.Selectors["s"].Targets);

        var result = ConfigAssert.Fails(Models + Matrix + "selectors:\n  s: { strategy: spillover, targets: [a, c] }\n");
        ConfigAssert.HasError(result, "selectors.s.targets", "not together in any matrix set");
    }
}
