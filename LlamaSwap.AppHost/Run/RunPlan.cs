using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resources;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.AppHost.Run;

/// <summary>Resolves the declarative <see cref="AppModel"/> into processes to start, in start order.</summary>
internal static class RunPlan
{
    public static IReadOnlyList<RunnableResource> Build(
        AppModel model,
        IWiringTarget wiring,
        IReadOnlyDictionary<string, int> ports,
        RedisPlan redis,
        BuildLayout layout,
        bool watchConfig = false,
        string? configDir = null)
    {
        var plan = new List<RunnableResource>();
        foreach (var resource in model.Resources)
        {
            plan.Add(resource.Kind switch
            {
                ResourceKind.Redis => ForRedis(resource, redis),
                ResourceKind.Project => ForProject(resource, model, wiring, ports, layout, watchConfig, configDir),
                _ => throw new InvalidOperationException($"unknown resource kind {resource.Kind}"),
            });
        }

        return plan;
    }

    private static RunnableResource ForRedis(ResourceSpec resource, RedisPlan redis)
    {
        if (redis is ManagedRedis managed)
        {
            return new RunnableResource(resource.Name, managed.Launch, managed.Port, new RespHealthProbe("127.0.0.1", managed.Port), resource.References);
        }

        var (host, port) = RespPing.FirstEndpoint(redis.ConnectionString) ?? ("127.0.0.1", 6379);
        return new RunnableResource(resource.Name, null, port, new RespHealthProbe(host, port), resource.References);
    }

    private static RunnableResource ForProject(
        ResourceSpec resource,
        AppModel model,
        IWiringTarget wiring,
        IReadOnlyDictionary<string, int> ports,
        BuildLayout layout,
        bool watchConfig,
        string? configDir)
    {
        var port = ports[resource.Name];
        var environment = ResourceEnvironment.For(resource, model, wiring);
        if (watchConfig)
        {
            environment = [.. environment, new(ConfigReloader.WatchSwitch, "1")];
        }

        if (configDir is not null)
        {
            environment = [.. environment, new(WiringEnvironment.ConfigDir, configDir)];
        }

        var launch = new Processes.LaunchSpec
        {
            FileName = "dotnet",
            Arguments = [layout.ProjectDll(resource.ProjectDirectory!)],
            Environment = environment,
            WorkingDirectory = Path.Combine(layout.RepoRoot, resource.ProjectDirectory!),
        };
        return new RunnableResource(
            resource.Name,
            launch,
            port,
            new HttpHealthProbe(new Uri($"http://127.0.0.1:{port}/health")),
            resource.References);
    }
}
