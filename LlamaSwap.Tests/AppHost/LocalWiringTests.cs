using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resources;
using LlamaSwap.AppHost.Run;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Tests.AppHost;

public sealed class LocalWiringTests
{
    private static readonly Dictionary<string, int> Ports = new()
    {
        [AppModel.Supervisor] = 41000,
        [AppModel.Gateway] = 8080,
        [AppModel.AuthProxy] = 3000,
    };

    [Fact]
    public void RunPlan_StartsInRequestPathReverseOrder()
    {
        var plan = Build(new ExternalRedis("localhost:6379"));

        Assert.Equal([AppModel.Redis, AppModel.Supervisor, AppModel.Gateway, AppModel.AuthProxy], plan.Select(r => r.Name));
        Assert.Null(plan[0].Launch);
    }

    [Fact]
    public void RunPlan_LaunchesBuiltDllsWithWiringEnvironment()
    {
        var plan = Build(new ExternalRedis("localhost:6379"));

        var gateway = plan.Single(r => r.Name == AppModel.Gateway);
        Assert.Equal("dotnet", gateway.Launch!.FileName);
        Assert.Equal(["/repo/LlamaSwap.Gateway/bin/Release/net10.0/LlamaSwap.Gateway.dll"], gateway.Launch.Arguments);
        Assert.Equal(new Uri("http://127.0.0.1:8080/health"), ((HttpHealthProbe)gateway.Health).Url);

        var env = gateway.Launch.Environment.ToDictionary();
        Assert.Equal("http://127.0.0.1:8080", env["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:41000", env[WiringEnvironment.SupervisorUrl]);
        Assert.Equal("localhost:6379", env[WiringEnvironment.RedisConnection]);
        Assert.Equal("/run/cfg.yaml", env[WiringEnvironment.ConfigPath]);
        Assert.Equal("/run", env[WiringEnvironment.RunDirectory]);
        Assert.Equal("gateway", env["OTEL_SERVICE_NAME"]);
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));

        var authProxy = plan.Single(r => r.Name == AppModel.AuthProxy).Launch!.Environment.ToDictionary();
        Assert.Equal("http://0.0.0.0:3000", authProxy["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:8080", authProxy[WiringEnvironment.GatewayUrl]);
    }

    [Fact]
    public void RunPlan_ManagedRedisIsLaunchedAndPinged()
    {
        var plan = Build(new ManagedRedis(new LlamaSwap.AppHost.Processes.LaunchSpec { FileName = "redis-server" }, 40001, "redis-server"));

        var redis = plan[0];
        Assert.NotNull(redis.Launch);
        Assert.Equal(new RespHealthProbe("127.0.0.1", 40001), redis.Health);
        Assert.Equal("127.0.0.1:40001", plan[1].Launch!.Environment.ToDictionary()[WiringEnvironment.RedisConnection]);
    }

    private static IReadOnlyList<RunnableResource> Build(RedisPlan redis)
    {
        var model = AppModel.Create(Ports[AppModel.Supervisor], Ports[AppModel.Gateway], Ports[AppModel.AuthProxy]);
        var wiring = new LocalWiringTarget(Ports, redis.ConnectionString, "/run/cfg.yaml", "/run", otlpEndpoint: null);
        return RunPlan.Build(model, wiring, Ports, redis, new BuildLayout("/repo", "Release"));
    }
}
