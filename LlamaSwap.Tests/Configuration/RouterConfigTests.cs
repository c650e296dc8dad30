using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary><c>routing.router</c> versus the legacy top-level <c>groups</c>/<c>matrix</c> (reference 1.7).</summary>
public sealed class RouterConfigTests
{
    private const string Models = """
        models:
          a: { cmd: "svr ${PORT}", aliases: [alpha] }
          b: { cmd: "svr ${PORT}" }
          c: { cmd: "svr ${PORT}" }

        """;

    private static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadYaml(Models + yaml, ConfigAssert.NoEnvironment);

    [Fact]
    public void LoadYaml_RouterGroupSettings_AreReadLikeLegacyGroups()
    {
        var config = ConfigAssert.Loads(Models + """
            routing:
              router:
                settings:
                  groups:
                    pair: { swap: false, members: [a, b] }
            """);

        Assert.Equal(RouterNames.Group, config.Router);
        Assert.Null(config.Matrix);
        Assert.False(config.Groups["pair"].Swap);
        Assert.Equal(["a", "b"], config.Groups["pair"].Members);
        Assert.Equal(["c"], config.GroupOf("c").Members);
    }

    [Fact]
    public void LoadYaml_RouterGroupSettings_ErrorsCarryTheNewPath()
    {
        var result = Load("""
            routing:
              router:
                use: group
                settings:
                  groups:
                    g: { members: [a, a], swap: maybe }
            """);

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, "routing.router.settings.groups.g.members[1]", "duplicate model member a");
        ConfigAssert.HasError(result, "routing.router.settings.groups.g.swap", "expected true or false");
    }

    [Fact]
    public void LoadYaml_UnknownGroupMemberUnderRouter_WarnedAndDropped()
    {
        var result = Load("""
            routing:
              router:
                settings:
                  groups:
                    g: { members: [ghost, b] }
            """);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        ConfigAssert.HasWarning(result, "routing.router.settings.groups.g.members[0]", "unknown model member 'ghost' (ignored)");
        Assert.Equal(["b"], result.Config!.Groups["g"].Members);
    }

    [Theory]
    [InlineData("groups:\n  g: { members: [a] }\n", "groups")]
    [InlineData("matrix:\n  sets: { s: a }\n", "matrix")]
    public void LoadYaml_LegacyKeyTogetherWithRoutingRouter_IsAnError(string legacy, string path)
    {
        var result = Load(legacy + "routing:\n  router: { use: group }\n");

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, path, "cannot be used together with routing.router");
    }

    [Fact]
    public void LoadYaml_LegacyGroupsAndMatrixTogether_IsAnError()
    {
        var result = Load("""
            groups:
              g: { members: [a] }
            matrix:
              sets: { s: a }
            """);

        ConfigAssert.HasError(result, "matrix", "groups and matrix cannot both be used");
    }

    [Fact]
    public void LoadYaml_UnknownRouter_IsAnError()
    {
        var result = Load("routing:\n  router: { use: mesh }\n");

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, "routing.router.use", "unknown router 'mesh'");
    }

    [Fact]
    public void LoadYaml_UseMatrixWithoutMatrixSettings_IsAnError()
    {
        var result = Load("""
            routing:
              router:
                use: matrix
                settings:
                  groups:
                    g: { members: [a] }
            """);

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, "routing.router.settings.matrix", "required when routing.router.use is matrix");
        ConfigAssert.HasWarning(result, "routing.router.settings.groups", "ignored: routing.router.use is matrix");
    }

    [Fact]
    public void LoadYaml_InactiveRouterSettings_AreWarnedAboutAndNotValidated()
    {
        // The matrix is broken (unknown identifier, no positive cost) but inactive, so it is not checked.
        var result = Load("""
            routing:
              router:
                use: group
                settings:
                  groups:
                    g: { members: [a] }
                  matrix:
                    evict_costs: { a: 0 }
                    sets: { s: "nope & (" }
            """);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("routing.router.settings.matrix: ignored: routing.router.use is group", warning.ToString());
        Assert.Equal(["a"], result.Config!.Groups["g"].Members);
    }

    [Fact]
    public void LoadYaml_RouterUseMatrix_CompilesTheMatrix_AndEveryModelStaysInTheImplicitGroup()
    {
        var config = ConfigAssert.Loads(Models + """
            routing:
              router:
                use: matrix
                settings:
                  matrix:
                    sets: { ab: "a & b" }
            """);

        Assert.Equal(RouterNames.Matrix, config.Router);
        var set = Assert.Single(config.Matrix!.Sets);
        Assert.Equal([["a", "b"]], set.Alternatives());
        Assert.Equal([GroupConfig.DefaultGroupId], config.Groups.Keys);
        Assert.Equal(GroupConfig.DefaultGroupId, config.GroupOf("c").Id);
    }

    [Fact]
    public void LoadYaml_LegacyTopLevelMatrix_SelectsTheMatrixRouter()
    {
        var config = ConfigAssert.Loads(Models + """
            matrix:
              sets: { s: "a | b" }
            """);

        Assert.Equal(RouterNames.Matrix, config.Router);
        Assert.Equal([["a"], ["b"]], Assert.Single(config.Matrix!.Sets).Alternatives());
    }

    [Fact]
    public void LoadYaml_UnknownKeysUnderRouter_AreWarned()
    {
        var result = Load("""
            routing:
              router:
                use: group
                flavour: x
                settings:
                  mesh: {}
            """);

        Assert.True(result.Succeeded);
        ConfigAssert.HasWarning(result, "routing.router.flavour", "unknown key");
        ConfigAssert.HasWarning(result, "routing.router.settings.mesh", "unknown key");
    }
}
