using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary><c>filters.*</c> (reference 1.4, 1.6, 6.2 SetParamsByIDAutoAlias*).</summary>
public sealed class FilterConfigTests
{
    [Fact]
    public void LoadYaml_StripParams_TrimmedSortedDeduplicatedWithoutModel()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  stripParams: " top_p, model ,temperature,,top_p , a.b "
            """);

        Assert.Equal(["a.b", "temperature", "top_p"], config.Models["m"].Filters.StripParams);
    }

    [Fact]
    public void LoadYaml_LegacyStripParamsKey_Accepted()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  strip_params: "top_k, min_p"
            """);

        Assert.Equal(["min_p", "top_k"], config.Models["m"].Filters.StripParams);
    }

    [Fact]
    public void LoadYaml_SetParams_AnyJsonValue_ModelIgnoredWithWarning()
    {
        var result = ConfigLoader.LoadYaml("""
            macros:
              temp: 0.5
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  setParams:
                    model: other
                    temperature: ${temp}
                    stop: ["END", 3]
                    chat_template_kwargs: { enable_thinking: false }
                    seed: ~
                    label: "port ${PORT}"
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        ConfigAssert.HasWarning(result, "models.m.filters.setParams.model", "model cannot be set");
        Assert.Equal(
            """{"temperature":0.5,"stop":["END",3],"chat_template_kwargs":{"enable_thinking":false},"seed":null,"label":"port 5800"}""",
            result.Config!.Models["m"].Filters.SetParams!.ToJsonString());
    }

    [Fact]
    public void LoadYaml_SetParamsById_KeysMacroExpandedAndBecomeAliases()
    {
        var config = ConfigAssert.Loads("""
            macros:
              suffix: fast
            models:
              m:
                cmd: svr ${PORT}
                aliases: [m-alias]
                filters:
                  setParamsByID:
                    "${MODEL_ID}":
                      effort: medium
                    "${MODEL_ID}:${suffix}":
                      effort: low
                    "on-${PORT}":
                      effort: high
            """);

        var model = config.Models["m"];
        Assert.Equal(["m", "m:fast", "on-5800"], model.Filters.SetParamsById.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"effort":"low"}""", model.Filters.SetParamsById["m:fast"].ToJsonString());
        Assert.Equal(["m-alias", "m:fast", "on-5800"], model.Aliases);
        Assert.Equal("m", config.ResolveModelId("m:fast"));
        Assert.Equal("m", config.ResolveModelId("on-5800"));
        Assert.False(config.Aliases.ContainsKey("m"));
    }

    [Fact]
    public void LoadYaml_SetParamsByIdKeyEqualToAnotherModelsId_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a:
                cmd: svr ${PORT}
                filters:
                  setParamsByID:
                    b: { effort: low }
              b:
                cmd: svr ${PORT}
            """);

        ConfigAssert.HasError(result, "models.a.filters.setParamsByID.b", "alias b in model a is already a model ID");
    }

    [Fact]
    public void LoadYaml_SetParamsByIdKeyEqualToAnotherModelsAlias_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a:
                cmd: svr ${PORT}
                aliases: [shared]
              b:
                cmd: svr ${PORT}
                filters:
                  setParamsByID:
                    shared: { effort: low }
            """);

        ConfigAssert.HasError(result, "models.b.filters.setParamsByID.shared", "duplicate alias shared found in model: b");
    }

    [Fact]
    public void LoadYaml_SetParamsByIdKeysCollideAfterExpansion_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  setParamsByID:
                    "${MODEL_ID}": { effort: low }
                    m: { effort: high }
            """);

        ConfigAssert.HasError(result, "models.m.filters.setParamsByID", "'${MODEL_ID}' and 'm' resolve to the same value 'm'");
    }

    [Fact]
    public void LoadYaml_UnknownMacroInSetParamsByIdKey_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  setParamsByID:
                    "${MODEL_ID}:${nope}": { effort: low }
            """);

        ConfigAssert.HasError(result, "models.m.filters.setParamsByID", "unknown macro '${nope}' found in m.filters.setParamsByID");
    }

    [Fact]
    public void LoadYaml_OtherMapKeysStillNotExpanded()
    {
        var config = ConfigAssert.Loads("""
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  setParams:
                    "${MODEL_ID}": 1
                metadata:
                  "${MODEL_ID}": 2
            """);

        Assert.True(config.Models["m"].Filters.SetParams!.ContainsKey("${MODEL_ID}"));
        Assert.True(config.Models["m"].Metadata!.ContainsKey("${MODEL_ID}"));
    }

    [Fact]
    public void LoadYaml_BadFilterShapes_AllReportedWithPaths()
    {
        var result = ConfigAssert.Fails("""
            models:
              m:
                cmd: svr ${PORT}
                filters:
                  stripParams: [a, b]
                  setParams: "temperature=1"
                  setParamsByID:
                    m:fast: low
                  stripParam: "typo"
            """);

        ConfigAssert.HasError(result, "models.m.filters.stripParams", "expected a string");
        ConfigAssert.HasError(result, "models.m.filters.setParams", "expected a mapping");
        ConfigAssert.HasError(result, "models.m.filters.setParamsByID.m:fast", "expected a mapping");
        ConfigAssert.HasWarning(result, "models.m.filters.stripParam", "unknown key \"stripParam\"");
    }

    [Fact]
    public void LoadYaml_NoFilters_Empty()
    {
        var model = ConfigAssert.Loads("""
            models:
              m: { cmd: "svr ${PORT}" }
            """).Models["m"];

        Assert.True(model.Filters.IsEmpty);
        Assert.Null(model.Metadata);
        Assert.Null(model.Capabilities);
    }
}
