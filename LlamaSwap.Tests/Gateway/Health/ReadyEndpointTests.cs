using System.Net;
using System.Text.Json;
using LlamaSwap.Tests.Gateway.Support;

namespace LlamaSwap.Tests.Gateway.Health;

public sealed class ReadyEndpointTests
{
    [Fact]
    public async Task Ready_WithoutRedis_SaysRedisIsNotConfiguredAndIsReady_And503OnceTheSupervisorIsGone()
    {
        await using var harness = await GatewayHarness.StartAsync();

        using (var ready = await harness.Client.GetAsync("/ready"))
        {
            using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var redis = body.RootElement.GetProperty("checks").GetProperty("redis");
            Assert.Equal("Healthy", redis.GetProperty("status").GetString());
            Assert.StartsWith("not configured", redis.GetProperty("description").GetString());
        }

        await harness.Supervisor.DisposeAsync();

        using var notReady = await harness.Client.GetAsync("/ready");
        using var after = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("Unhealthy", after.RootElement.GetProperty("checks").GetProperty("supervisor").GetProperty("status").GetString());
        Assert.Equal("OK", await harness.Client.GetStringAsync("/health"));
    }
}
