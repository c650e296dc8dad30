using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration.Matrix;

/// <summary><c>matrix</c> validation and compilation (reference 1.7, <c>TestValidateMatrix_*</c>).</summary>
public sealed class MatrixConfigTests
{
    private const string Models = """
        models:
          gemma: { cmd: "svr ${PORT}", aliases: [gem] }
          qwen: { cmd: "svr ${PORT}" }
          mistral: { cmd: "svr ${PORT}" }
          "org/voxtral:q4": { cmd: "svr ${PORT}" }
          rerank: { cmd: "svr ${PORT}" }

        """;

    private const string SetsPath = "matrix.sets";

    private static ConfigLoadResult Load(string matrix) => ConfigLoader.LoadYaml(Models + matrix, ConfigAssert.NoEnvironment);

    private static IReadOnlyList<IReadOnlyList<string>> AlternativesOf(LlamaSwapConfig config, string set)
        => config.Matrix!.Sets.Single(s => s.Name == set).Alternatives();

    [Fact]
    public void Sets_ExpandToCartesianProducts_WithVarsResolvedToModelIds()
    {
        var config = ConfigAssert.Loads(Models + """
            matrix:
              vars: { v: "org/voxtral:q4", g: gemma }
              sets:
                standard: "(g | qwen | mistral) & v"
                pairs: "(g | qwen) & (mistral | rerank)"
            """);

        Assert.Equal(
            [["gemma", "org/voxtral:q4"], ["org/voxtral:q4", "qwen"], ["mistral", "org/voxtral:q4"]],
            AlternativesOf(config, "standard"));
        Assert.Equal(
            [["gemma", "mistral"], ["gemma", "rerank"], ["mistral", "qwen"], ["qwen", "rerank"]],
            AlternativesOf(config, "pairs"));
        Assert.Equal("org/voxtral:q4", config.Matrix!.Vars["v"]);
    }

    [Fact]
    public void Sets_AnIdentifierIsAVarBeforeAModel()
    {
        // "qwen" is both a var (pointing at mistral) and a model ID: the var wins.
        var config = ConfigAssert.Loads(Models + """
            matrix:
              vars: { qwen: mistral }
              sets: { s: qwen }
            """);

        Assert.Equal([["mistral"]], AlternativesOf(config, "s"));
    }

    [Fact]
    public void Sets_References_AreInlined_AndReferencedSetsComeFirst()
    {
        var config = ConfigAssert.Loads(Models + """
            matrix:
              sets:
                mega: "+standard & rerank"
                full: mistral
                standard: "gemma | qwen"
            """);

        Assert.Equal(["standard", "mega", "full"], config.Matrix!.Sets.Select(s => s.Name));
        Assert.Equal([["gemma", "rerank"], ["qwen", "rerank"]], AlternativesOf(config, "mega"));
        Assert.Equal("+standard & rerank", config.Matrix.Sets[1].Expression);
    }

    [Fact]
    public void Sets_CircularReference_IsReported()
    {
        var result = Load("""
            matrix:
              sets:
                a: "+b | gemma"
                b: "+a & qwen"
                self: "+self"
            """);

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, $"{SetsPath}.b", "circular reference detected involving set \"a\"");
        ConfigAssert.HasError(result, $"{SetsPath}.self", "circular reference detected involving set \"self\"");
    }

    [Fact]
    public void Sets_UndefinedReferenceAndUnknownIdentifier_AreReportedAtTheirSets()
    {
        var result = Load("""
            matrix:
              sets:
                one: "+missing"
                two: "gemma & ghost & phantom"
            """);

        ConfigAssert.HasError(result, $"{SetsPath}.one", "reference to undefined set \"missing\"");
        ConfigAssert.HasError(result, $"{SetsPath}.two", "unknown var or model \"ghost\"");
        ConfigAssert.HasError(result, $"{SetsPath}.two", "unknown var or model \"phantom\"");
    }

    [Fact]
    public void Sets_SyntaxErrors_AreReportedWithTheExpression()
    {
        var result = Load("""
            matrix:
              sets:
                empty: ""
                open: "(gemma"
                odd: "gemma @ qwen"
            """);

        ConfigAssert.HasError(result, $"{SetsPath}.empty", "empty expression");
        ConfigAssert.HasError(result, $"{SetsPath}.open", "invalid expression \"(gemma\": expected ')'");
        ConfigAssert.HasError(result, $"{SetsPath}.odd", "unexpected character '@'");
    }

    [Fact]
    public void Sets_AtLeastOneIsRequired()
    {
        var result = Load("matrix:\n  vars: { g: gemma }\n");

        ConfigAssert.HasError(result, SetsPath, "at least one set is required");
    }

    [Theory]
    [InlineData("bad_name")]
    [InlineData("has space")]
    [InlineData("a23456789012345678901234567890123")]
    public void Vars_KeysMustMatchThePattern(string name)
    {
        var result = Load($"matrix:\n  vars: {{ \"{name}\": gemma }}\n  sets: {{ s: gemma }}\n");

        ConfigAssert.HasError(result, $"matrix.vars.{name}", "invalid var name");
    }

    [Fact]
    public void Vars_NamingAnAlias_IsAnError()
    {
        var result = Load("matrix:\n  vars: { g: gem }\n  sets: { s: qwen }\n");

        ConfigAssert.HasError(result, "matrix.vars.g", "\"gem\" is an alias of gemma");
    }

    [Fact]
    public void Vars_NamingAnUndefinedModel_AreWarnedAndStandForNoModel()
    {
        var result = Load("""
            matrix:
              vars: { x: llama-70B }
              evict_costs: { x: 30 }
              sets:
                s: "(x | gemma) & qwen"
            """);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        ConfigAssert.HasWarning(result, "matrix.vars.x", "unknown model 'llama-70B' (ignored)");
        Assert.Equal([["qwen"], ["gemma", "qwen"]], AlternativesOf(result.Config!, "s"));
        Assert.Empty(result.Config!.Matrix!.EvictCosts);
    }

    [Fact]
    public void EvictCosts_ResolveVarsAndModels_DefaultOne()
    {
        var config = ConfigAssert.Loads(Models + """
            matrix:
              vars: { v: "org/voxtral:q4" }
              evict_costs: { v: 50, gemma: 30 }
              sets: { s: gemma }
            """);

        Assert.Equal(50, config.Matrix!.CostOf("org/voxtral:q4"));
        Assert.Equal(30, config.Matrix.CostOf("gemma"));
        Assert.Equal(1, config.Matrix.CostOf("qwen"));
    }

    [Theory]
    [InlineData("0", "evict cost must be a positive integer, got 0")]
    [InlineData("-3", "evict cost must be a positive integer, got -3")]
    [InlineData("lots", "expected an integer")]
    public void EvictCosts_MustBePositiveIntegers(string cost, string message)
    {
        var result = Load($"matrix:\n  evict_costs: {{ gemma: {cost} }}\n  sets: {{ s: gemma }}\n");

        ConfigAssert.HasError(result, "matrix.evict_costs.gemma", message);
    }

    [Fact]
    public void EvictCosts_UnknownKey_IsAnError()
    {
        var result = Load("matrix:\n  evict_costs: { nobody: 5 }\n  sets: { s: gemma }\n");

        ConfigAssert.HasError(result, "matrix.evict_costs.nobody", "unknown var or model \"nobody\"");
    }

    [Fact]
    public void Errors_UnderRoutingRouter_CarryTheFullPath()
    {
        var result = Load("""
            routing:
              router:
                use: matrix
                settings:
                  matrix:
                    sets:
                      standard: "gemma & nope"
            """);

        ConfigAssert.HasError(result, "routing.router.settings.matrix.sets.standard", "unknown var or model \"nope\"");
    }
}
