using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class AliasAndGroupTests
{
    [Fact]
    public void LoadYaml_Aliases_MapToModelIds()
    {
        var config = ConfigAssert.Loads("""
            models:
              a:
                cmd: svr ${PORT}
                aliases: [gpt-4o-mini, "${MODEL_ID}-latest"]
            """);

        Assert.Equal("a", config.Aliases["gpt-4o-mini"]);
        Assert.Equal("a", config.Aliases["a-latest"]);
        Assert.Equal("a", config.ResolveModelId("gpt-4o-mini"));
        Assert.Null(config.ResolveModelId("unknown"));
    }

    [Fact]
    public void LoadYaml_DuplicateAliasAcrossModels_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              model1:
                cmd: svr ${PORT}
                aliases: [m1, mx]
              model2:
                cmd: svr ${PORT}
                aliases: [m2, mx]
            """);

        ConfigAssert.HasError(result, "models.model2.aliases[1]", "duplicate alias mx found in model: model2");
    }

    [Fact]
    public void LoadYaml_AliasEqualToModelId_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a: { cmd: "svr ${PORT}", aliases: [b] }
              b: { cmd: "svr ${PORT}" }
            """);

        ConfigAssert.HasError(result, "models.a.aliases[0]", "alias b in model a is already a model ID");
    }

    [Fact]
    public void LoadYaml_Groups_ReadWithDefaultsAndUngroupedModelsGoToDefaultGroup()
    {
        var config = ConfigAssert.Loads("""
            models:
              a: { cmd: "svr ${PORT}" }
              b: { cmd: "svr ${PORT}" }
              c: { cmd: "svr ${PORT}" }
              d: { cmd: "svr ${PORT}" }
            groups:
              coding:
                members: [a, b]
              always:
                swap: false
                exclusive: false
                persistent: true
                members: [c]
            """);

        var coding = config.Groups["coding"];
        Assert.True(coding.Swap);
        Assert.True(coding.Exclusive);
        Assert.False(coding.Persistent);
        Assert.Equal(["a", "b"], coding.Members);

        var always = config.Groups["always"];
        Assert.False(always.Swap);
        Assert.False(always.Exclusive);
        Assert.True(always.Persistent);

        var fallback = config.Groups[GroupConfig.DefaultGroupId];
        Assert.True(fallback.Swap);
        Assert.True(fallback.Exclusive);
        Assert.Equal(["d"], fallback.Members);
        Assert.Same(fallback, config.GroupOf("d"));
    }

    [Fact]
    public void LoadYaml_AllModelsGrouped_NoDefaultGroup()
    {
        var config = ConfigAssert.Loads("""
            models:
              a: { cmd: "svr ${PORT}" }
            groups:
              g: { members: [a] }
            """);

        Assert.False(config.Groups.ContainsKey(GroupConfig.DefaultGroupId));
    }

    [Fact]
    public void LoadYaml_NoGroups_EveryModelInDefaultGroup()
    {
        var config = ConfigAssert.Loads("""
            models:
              b: { cmd: "svr ${PORT}" }
              a: { cmd: "svr ${PORT}" }
            """);

        var group = Assert.Single(config.Groups.Values);
        Assert.Equal(GroupConfig.DefaultGroupId, group.Id);
        Assert.Equal(["a", "b"], group.Members);
    }

    [Fact]
    public void LoadYaml_ModelInTwoGroups_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a: { cmd: "svr ${PORT}" }
            groups:
              g1: { members: [a] }
              g2: { members: [a] }
            """);

        ConfigAssert.HasError(result, "groups.g2.members[0]", "model member a is used in multiple groups: g1, g2");
    }

    [Fact]
    public void LoadYaml_DuplicateMemberInOneGroup_Rejected()
    {
        var result = ConfigAssert.Fails("""
            models:
              a: { cmd: "svr ${PORT}" }
            groups:
              g: { members: [a, a] }
            """);

        ConfigAssert.HasError(result, "groups.g.members[1]", "duplicate model member a found in group: g");
    }

    [Fact]
    public void LoadYaml_UnknownGroupMember_WarnedAndDropped()
    {
        var result = ConfigLoader.LoadYaml("""
            models:
              a: { cmd: "svr ${PORT}" }
            groups:
              g: { members: [a, ghost] }
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        ConfigAssert.HasWarning(result, "groups.g.members[1]", "unknown model member 'ghost' (ignored)");
        Assert.Equal(["a"], result.Config!.Groups["g"].Members);
    }

    [Fact]
    public void LoadYaml_Preload_TrimmedAliasesResolvedUnknownDropped()
    {
        var result = ConfigLoader.LoadYaml("""
            models:
              a: { cmd: "svr ${PORT}", aliases: [alpha] }
              b: { cmd: "svr ${PORT}" }
            hooks:
              on_startup:
                preload: ["  b ", "", alpha, ghost, a]
            """, ConfigAssert.NoEnvironment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(["b", "a"], result.Config!.Preload);
        ConfigAssert.HasWarning(result, "hooks.on_startup.preload[3]", "unknown model 'ghost'");
    }
}
