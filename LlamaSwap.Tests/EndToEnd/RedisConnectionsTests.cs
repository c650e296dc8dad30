using System.Text;
using StackExchange.Redis;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>Each service holds one Redis connection (one multiplexer: a command and a pub/sub socket), shared by all its Redis users.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RedisConnectionsTests(SharedStackFixture fixture)
{
    [Fact]
    public async Task EveryService_OpensOneMultiplexer()
    {
        var stack = fixture.Stack;

        // Touch every Redis user: model state and events (a load), usage (a keyed request), limits.
        using var response = await stack.Client.PostAsync(
            stack.FrontDoor + "/v1/chat/completions",
            new StringContent("""{"model":"chat-a","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, stack.Diagnostics());

        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis.ConnectionString + ",allowAdmin=true,name=redis-connections-test");
        var clients = await redis.GetServers().Single().ClientListAsync();
        var byService = clients.Select(c => c.Name ?? "").Where(name => name.StartsWith("LlamaSwap.", StringComparison.Ordinal))
            .GroupBy(name => name)
            .ToDictionary(g => g.Key, g => g.Count());
        var detail = string.Join(", ", byService.Select(kv => $"{kv.Key}: {kv.Value}"));

        Assert.Equal(["LlamaSwap.AuthProxy", "LlamaSwap.Gateway", "LlamaSwap.Supervisor"], byService.Keys.Order(StringComparer.Ordinal));
        Assert.All(byService, kv => Assert.True(kv.Value <= 2, $"{kv.Key} holds {kv.Value} Redis connections (one multiplexer holds 2): {detail}"));
    }
}
