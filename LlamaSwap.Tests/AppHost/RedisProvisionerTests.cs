using System.Runtime.Versioning;
using LlamaSwap.AppHost.Redis;

namespace LlamaSwap.Tests.AppHost;

public sealed class RedisProvisionerTests : IDisposable
{
    private readonly string _pathDirectory = Directory.CreateTempSubdirectory("llamaswap-path-").FullName;

    public void Dispose() => Directory.Delete(_pathDirectory, recursive: true);

    [Fact]
    public void Plan_ConnectionStringGiven_UsesItWithoutStartingAnything()
    {
        var plan = RedisProvisioner.Plan("cache:6380,abortConnect=false", 40000, "/repo", _pathDirectory);

        Assert.Equal(new ExternalRedis("cache:6380,abortConnect=false"), plan);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Plan_RedisServerOnPath_StartsItOnLoopbackWithoutPersistence()
    {
        var redisServer = Path.Combine(_pathDirectory, "redis-server");
        File.WriteAllText(redisServer, "#!/bin/sh\n");
        File.SetUnixFileMode(redisServer, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var plan = Assert.IsType<ManagedRedis>(RedisProvisioner.Plan(null, 40000, "/repo", _pathDirectory));

        Assert.Equal(redisServer, plan.Launch.FileName);
        Assert.Equal(["--port", "40000", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], plan.Launch.Arguments);
        Assert.Equal("127.0.0.1:40000", plan.ConnectionString);
    }

    [Fact]
    public void Plan_NoRedisServer_FallsBackToGarnetLocalTool()
    {
        var plan = Assert.IsType<ManagedRedis>(RedisProvisioner.Plan(null, 40000, "/repo", _pathDirectory));

        Assert.Equal("garnet-server", plan.Server);
        Assert.Equal("dotnet", plan.Launch.FileName);
        Assert.Equal(["tool", "run", "garnet-server", "--port", "40000", "--bind", "127.0.0.1", "--lua"], plan.Launch.Arguments);
        Assert.Equal("/repo", plan.Launch.WorkingDirectory);
    }

    [Theory]
    [InlineData("localhost:6380", "localhost", 6380)]
    [InlineData("cache", "cache", 6379)]
    [InlineData("password=x,10.0.0.1:7000,abortConnect=false", "10.0.0.1", 7000)]
    public void FirstEndpoint_ParsesConnectionStrings(string connectionString, string host, int port) =>
        Assert.Equal((host, port), RespPing.FirstEndpoint(connectionString));
}
