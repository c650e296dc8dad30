using LlamaSwap.Core.Redis;
using LlamaSwap.Tests.EndToEnd;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.AuthProxy.Limits;

/// <summary>One real redis-server per test class; tests keep apart by using key names of their own.</summary>
public sealed class LimitsRedisFixture : IAsyncLifetime
{
    private readonly List<RedisConnector> _connectors = [];
    private RedisServer? _server;

    internal RedisServer Server => _server!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var connector in _connectors)
        {
            await connector.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A connector that is connected when returned (the fixture disposes it).</summary>
    internal async Task<RedisConnector> ConnectAsync()
    {
        var connector = new RedisConnector(Server.ConnectionString);
        _connectors.Add(connector);
        await connector.GetDatabaseAsync();
        await Eventually.TrueAsync(() => connector.TryGetDatabase() is not null, "the connector is connected");
        return connector;
    }

    /// <summary>A connector to a loopback port nothing listens on, its first connection attempt over.</summary>
    internal static async Task<RedisConnector> UnreachableAsync()
    {
        var connector = new RedisConnector($"127.0.0.1:{FreePorts.Next()},connectRetry=0");
        await connector.GetDatabaseAsync();
        Assert.False(connector.Connecting);
        return connector;
    }
}
