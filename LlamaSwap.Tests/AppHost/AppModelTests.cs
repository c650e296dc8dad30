using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LlamaSwap.AppHost.Model;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.AppHost;

/// <summary>The app model as Aspire sees it, built in-process (nothing started): what each service is given.</summary>
public sealed class AppModelTests
{
    private static readonly StackSettings Settings = new()
    {
        ConfigPath = "/run/cfg.yaml",
        ConfigDir = "/etc/llamaswap.d",
        RunDirectory = "/run/llamaswap",
        SupervisorPort = 9001,
        GatewayPort = 8080,
        ProxyPort = 3000,
        RedisPort = 6390,
        WatchConfig = true,
        WorkDirectory = "/home/user/models",
    };

    [Fact]
    public async Task EveryService_GetsTheConfig_TheRedisConnection_AndTheWatchSwitch()
    {
        var model = Build(Settings);

        foreach (var name in ResourceNames.Services)
        {
            var env = await EnvironmentOf(model, name);
            Assert.Equal("/run/cfg.yaml", env[WiringEnvironment.ConfigPath]);
            Assert.Equal("/etc/llamaswap.d", env[WiringEnvironment.ConfigDir]);
            Assert.Equal("1", env[ConfigReloader.WatchSwitch]);
            Assert.Equal("localhost:6390", env[WiringEnvironment.RedisConnection]);

            // Where the user started it: the auth proxy looks for a config.json of keys there too.
            Assert.Equal("/home/user/models", env[WiringEnvironment.WorkDirectory]);
        }

        Assert.Equal("/run/llamaswap", (await EnvironmentOf(model, ResourceNames.Supervisor))[WiringEnvironment.RunDirectory]);
    }

    [Fact]
    public async Task EachService_ReachesTheNextHop_ByItsFixedPort()
    {
        var model = Build(Settings);

        Assert.Equal("http://localhost:9001", (await EnvironmentOf(model, ResourceNames.Gateway))[WiringEnvironment.SupervisorUrl]);
        Assert.Equal("http://localhost:8080", (await EnvironmentOf(model, ResourceNames.AuthProxy))[WiringEnvironment.GatewayUrl]);
    }

    [Fact]
    public void Endpoints_AreFixed_NotProxied_AndOnlyTheFrontDoorListensOnEveryInterface()
    {
        var model = Build(Settings);

        var endpoints = ResourceNames.Services.ToDictionary(name => name, name => Assert.Single(Resource(model, name).Annotations.OfType<EndpointAnnotation>()));
        Assert.Equal([9001, 8080, 3000], endpoints.Values.Select(e => e.Port!.Value));
        Assert.All(endpoints.Values, e => Assert.False(e.IsProxied));
        Assert.Equal("0.0.0.0", endpoints[ResourceNames.AuthProxy].TargetHost);
        Assert.Equal("127.0.0.1", endpoints[ResourceNames.Gateway].TargetHost);
        Assert.Equal("127.0.0.1", endpoints[ResourceNames.Supervisor].TargetHost);
    }

    [Fact]
    public void EachService_WaitsForTheOneBehindIt_AndHasAHealthCheck()
    {
        var model = Build(Settings);

        Assert.Equal([ResourceNames.Redis], WaitsFor(model, ResourceNames.Supervisor));
        Assert.Equal([ResourceNames.Supervisor], WaitsFor(model, ResourceNames.Gateway));
        Assert.Equal([ResourceNames.Gateway], WaitsFor(model, ResourceNames.AuthProxy));
        Assert.All(ResourceNames.Services.Append(ResourceNames.Redis), name => Assert.NotEmpty(Resource(model, name).Annotations.OfType<HealthCheckAnnotation>()));
    }

    [Fact]
    public void Redis_IsRedisServerFromPath_OnLoopbackWithoutPersistence()
    {
        var model = Build(Settings, path: "/usr/bin:/bin");
        if (ExecutableLocator.FindOnPath("redis-server", "/usr/bin:/bin") is null)
        {
            Assert.Equal("dotnet", Assert.IsType<RedisServerResource>(Resource(model, ResourceNames.Redis)).Command);
            return;
        }

        var redis = Assert.IsType<RedisServerResource>(Resource(model, ResourceNames.Redis));
        Assert.Equal("redis-server", redis.Command);
    }

    [Fact]
    public void Redis_WithoutRedisServerOnPath_IsTheGarnetTool()
    {
        var model = Build(Settings, path: "/nonexistent");

        var redis = Assert.IsType<RedisServerResource>(Resource(model, ResourceNames.Redis));
        Assert.Equal("dotnet", redis.Command);
    }

    [Fact]
    public async Task WithoutTheDashboard_NoServiceExportsTelemetry_WithItEveryServiceDoes()
    {
        var quiet = Build(Settings with { ExportTelemetry = false });
        var watched = Build(Settings with { ExportTelemetry = true, DashboardTelemetryIntervals = true }, dashboard: true);

        foreach (var name in ResourceNames.Services)
        {
            Assert.DoesNotContain((await EnvironmentOf(quiet, name)).Keys, k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal));
            Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", (await EnvironmentOf(watched, name)).Keys);
        }
    }

    [Fact]
    public void ExternalRedis_IsAConnectionString_AndNothingIsStarted()
    {
        var model = Build(Settings with { ExternalRedis = "cache.internal:6380" });

        var redis = Resource(model, ResourceNames.Redis);
        Assert.IsNotType<RedisServerResource>(redis);
        Assert.IsAssignableFrom<IResourceWithConnectionString>(redis);
    }

    private static DistributedApplicationModel Build(StackSettings settings, string? path = null, bool dashboard = false)
    {
        // The AppHost's own assembly stands in for the test host's: Aspire reads its metadata.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            AssemblyName = typeof(LlamaSwapModel).Assembly.GetName().Name,
            ProjectDirectory = Path.Combine(RepoLayout.Root, "LlamaSwap.AppHost"),
            DisableDashboard = !dashboard,
        });
        LlamaSwapModel.Add(builder, settings, "/repo", path);

        // What DCP does at run time: every endpoint gets its address (references to it wait for that).
        foreach (var endpoint in builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()))
        {
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", endpoint.Port!.Value);
        }

        return new DistributedApplicationModel(builder.Resources);
    }

    private static IResource Resource(DistributedApplicationModel model, string name) => model.Resources.Single(r => r.Name == name);

    private static IEnumerable<string> WaitsFor(DistributedApplicationModel model, string name)
        => Resource(model, name).Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name);

    // The obsolete helper still evaluates every environment callback as a run would; its replacement
    // (ExecutionConfigurationBuilder) needs a running app's services.
#pragma warning disable CS0618
    private static async Task<Dictionary<string, string>> EnvironmentOf(DistributedApplicationModel model, string name)
        => new(await ((IResourceWithEnvironment)Resource(model, name)).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run));
#pragma warning restore CS0618
}
