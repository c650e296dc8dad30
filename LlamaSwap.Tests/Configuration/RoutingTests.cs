using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

public sealed class RoutingTests
{
    private const string Models = """
        models:
          a:
            cmd: server --port ${PORT}
            aliases: [alpha]
          b:
            cmd: server --port ${PORT}
        """;

    private static ConfigLoadResult Load(string routing) => ConfigLoader.LoadYaml(Models + "\n" + routing, new Dictionary<string, string>());

    [Fact]
    public void LoadYaml_FifoSettings_AreRead_WithPriorityKeysResolvedToModelIds()
    {
        var result = Load("""
            routing:
              scheduler:
                use: fifo
                settings:
                  fifo:
                    priority: { alpha: 10, b: 5 }
                    maxWait: 30
                    minLoaded: 20
            """);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var scheduler = result.Config!.Scheduler;
        Assert.Equal(10, scheduler.PriorityOf("a"));
        Assert.Equal(5, scheduler.PriorityOf("b"));
        Assert.Equal(30, scheduler.MaxWaitSeconds);
        Assert.Equal(20, scheduler.MinLoadedSeconds);
    }

    [Fact]
    public void LoadYaml_NoRouting_SchedulerDefaultsMatchLlamaSwap()
    {
        var result = Load("");

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.Config!.Scheduler.MaxWaitSeconds);
        Assert.Equal(0, result.Config.Scheduler.MinLoadedSeconds);
        Assert.Equal(0, result.Config.Scheduler.PriorityOf("a"));
    }

    [Fact]
    public void LoadYaml_BadSchedulerSettings_ReportEachWithItsPath()
    {
        var result = Load("""
            routing:
              scheduler:
                use: lifo
                settings:
                  fifo:
                    maxWait: -1
                    minLoaded: soon
            """);

        Assert.False(result.Succeeded);
        ConfigAssert.HasError(result, "routing.scheduler.use", "unknown scheduler 'lifo'");
        ConfigAssert.HasError(result, "routing.scheduler.settings.fifo.maxWait", ">= 0");
        Assert.Contains(result.Errors, e => e.Path == "routing.scheduler.settings.fifo.minLoaded");
    }

    [Fact]
    public void LoadYaml_PriorityForUnknownModel_IsAWarning()
    {
        var result = Load("""
            routing:
              scheduler:
                settings:
                  fifo:
                    priority: { nope: 3 }
            """);

        Assert.True(result.Succeeded);
        ConfigAssert.HasWarning(result, "routing.scheduler.settings.fifo.priority.nope", "unknown model 'nope'");
    }

    [Fact]
    public void LoadYaml_RoutingRouterGroup_IsReadWithoutWarnings()
    {
        var result = Load("""
            routing:
              router:
                use: group
            """);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Warnings);
        Assert.Equal(RouterNames.Group, result.Config!.Router);
    }
}
