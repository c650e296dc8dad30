using LlamaSwap.AuthProxy.Limits;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Limits;
using LlamaSwap.Core.Redis;
using LlamaSwap.Gateway.Usage;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.AuthProxy.Limits;

/// <summary>The limiter against a real redis-server, on a fake clock.</summary>
public sealed class KeyLimiterTests(LimitsRedisFixture redis) : IClassFixture<LimitsRedisFixture>
{
    private readonly ManualTimeProvider _time = Clock();

    [Fact]
    public async Task RequestsPerMinute_OverTheLimit_RefusedWithTheRestOfTheMinute_ThenAdmittedNextMinute()
    {
        var limiter = await RedisLimiterAsync();
        var key = Key(rpm: 2);

        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
        var refused = await limiter.TryAcquireAsync(key);

        Assert.Equal(LimitRefusal.RequestsPerMinute, refused.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.RetryAfter);
        Assert.False(limiter.UsingLocalFallback);

        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
    }

    [Fact]
    public async Task TokensPerMinute_RefusedOnceTheGatewaysTokensReachTheLimit_ThenAdmittedNextMinute()
    {
        var limiter = await RedisLimiterAsync();
        await using var gatewayRedis = await redis.ConnectAsync();
        var ledger = new UsageLedger(gatewayRedis, _time, NullLogger<UsageLedger>.Instance);
        var key = Key(tpm: 100);

        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
        ledger.Record(new UsageSlot("2026-01-01", key.Name, "m"), new UsageCounts(1, 60, 39));
        Assert.True(await ledger.FlushAsync(gatewayRedis));
        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);

        // The request in flight overshoots: 99 + 30 = 129 of 100; from now on the key waits.
        ledger.Record(new UsageSlot("2026-01-01", key.Name, "m"), new UsageCounts(1, 10, 20));
        Assert.True(await ledger.FlushAsync(gatewayRedis));
        var refused = await limiter.TryAcquireAsync(key);

        Assert.Equal(LimitRefusal.TokensPerMinute, refused.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
    }

    [Fact]
    public async Task MaxConcurrent_RefusesWhileTheSlotsAreHeld_AndAdmitsOnceOneIsReleased()
    {
        var limiter = await RedisLimiterAsync();
        var key = Key(concurrent: 2);

        var first = await limiter.TryAcquireAsync(key);
        var second = await limiter.TryAcquireAsync(key);
        var third = await limiter.TryAcquireAsync(key);

        Assert.True(first.Allowed && second.Allowed);
        Assert.Equal(LimitRefusal.MaxConcurrent, third.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(1), third.RetryAfter);

        await limiter.ReleaseAsync(first.Lease!);
        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
    }

    [Fact]
    public async Task TwoProxies_SharingOneRedis_ShareOneLimit()
    {
        var proxyA = await RedisLimiterAsync();
        var proxyB = await RedisLimiterAsync();
        var key = Key(rpm: 3, concurrent: 10);

        Assert.True((await proxyA.TryAcquireAsync(key)).Allowed);
        Assert.True((await proxyB.TryAcquireAsync(key)).Allowed);
        Assert.True((await proxyA.TryAcquireAsync(key)).Allowed);

        Assert.Equal(LimitRefusal.RequestsPerMinute, (await proxyB.TryAcquireAsync(key)).Refusal);
        Assert.Equal(LimitRefusal.RequestsPerMinute, (await proxyA.TryAcquireAsync(key)).Refusal);
    }

    [Fact]
    public async Task ACrashedProxysSlots_ExpireAfterTheLeaseTtl()
    {
        var crashed = await RedisLimiterAsync();
        var survivor = await RedisLimiterAsync();
        var key = Key(concurrent: 1);

        Assert.True((await crashed.TryAcquireAsync(key)).Allowed);
        Assert.Equal(LimitRefusal.MaxConcurrent, (await survivor.TryAcquireAsync(key)).Refusal);

        // The crashed proxy never releases: its slot is taken back when its lease runs out.
        _time.Advance(KeyLimitRules.LeaseTtl - TimeSpan.FromSeconds(1));
        Assert.Equal(LimitRefusal.MaxConcurrent, (await survivor.TryAcquireAsync(key)).Refusal);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await survivor.TryAcquireAsync(key)).Allowed);
    }

    [Fact]
    public async Task RefusedRequests_DoNotCountAgainstTheMinute()
    {
        var limiter = await RedisLimiterAsync();
        var key = Key(rpm: 5, concurrent: 1);

        var held = await limiter.TryAcquireAsync(key);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(LimitRefusal.MaxConcurrent, (await limiter.TryAcquireAsync(key)).Refusal);
        }

        await limiter.ReleaseAsync(held.Lease!);
        var db = await (await redis.ConnectAsync()).GetDatabaseAsync();
        Assert.Equal(1, (long)await db.StringGetAsync(LimitKeys.Requests(key.Name, LimitKeys.Minute(_time.GetUtcNow()))));
    }

    [Fact]
    public async Task RedisUnreachable_LimitsAreCountedLocally_AndTheOutageIsLoggedOnce()
    {
        var log = new EventLog<KeyLimiter>();
        await using var unreachable = await LimitsRedisFixture.UnreachableAsync();
        var limiter = new KeyLimiter(unreachable, _time, log);
        var key = Key(rpm: 2, concurrent: 1);

        var first = await limiter.TryAcquireAsync(key);
        Assert.True(first.Allowed);
        Assert.Equal(LimitRefusal.MaxConcurrent, (await limiter.TryAcquireAsync(key)).Refusal);
        await limiter.ReleaseAsync(first.Lease!);
        var second = await limiter.TryAcquireAsync(key);
        Assert.True(second.Allowed);
        await limiter.ReleaseAsync(second.Lease!);
        var overRpm = await limiter.TryAcquireAsync(key);

        Assert.Equal(LimitRefusal.RequestsPerMinute, overRpm.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(45), overRpm.RetryAfter);
        Assert.True(limiter.UsingLocalFallback);
        Assert.Equal(1, log.Count(1700));
    }

    [Fact]
    public async Task LocalStore_RequestsPerMinute_RecoversNextMinute()
    {
        var limiter = new KeyLimiter(null, _time, NullLogger<KeyLimiter>.Instance);
        var key = Key(rpm: 1);

        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
        var refused = await limiter.TryAcquireAsync(key);
        Assert.Equal(LimitRefusal.RequestsPerMinute, refused.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
    }

    [Fact]
    public async Task RedisRestarted_TheLimiterFallsBackLocally_AndLogsOnceWhenRedisIsBack()
    {
        await using var server = await LlamaSwap.Tests.EndToEnd.RedisServer.StartAsync();
        await using var connector = new RedisConnector(server.ConnectionString);
        await connector.GetDatabaseAsync();
        var log = new EventLog<KeyLimiter>();
        var limiter = new KeyLimiter(connector, _time, log);
        var key = Key(rpm: 1000);

        Assert.True((await limiter.TryAcquireAsync(key)).Allowed);
        await server.StopAsync();
        await Eventually.TrueAsync(async () => (await limiter.TryAcquireAsync(key)).Allowed && limiter.UsingLocalFallback, "the limiter counts locally");
        await server.RestartAsync();
        await Eventually.TrueAsync(async () => (await limiter.TryAcquireAsync(key)).Allowed && !limiter.UsingLocalFallback, "the limiter uses Redis again", TimeSpan.FromSeconds(20));

        Assert.Equal(1, log.Count(1700));
        Assert.Equal(1, log.Count(1701));
    }

    internal static ApiKeyConfig Key(int? rpm = null, int? tpm = null, int? concurrent = null) => new()
    {
        Name = $"key-{Guid.NewGuid():N}",
        Sha256 = new byte[32],
        RequestsPerMinute = rpm,
        TokensPerMinute = tpm,
        MaxConcurrent = concurrent,
    };

    /// <summary>15 s into a minute, so the rest of the window is 45 s.</summary>
    internal static ManualTimeProvider Clock()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(15));
        return time;
    }

    private async Task<KeyLimiter> RedisLimiterAsync()
        => new(await redis.ConnectAsync(), _time, NullLogger<KeyLimiter>.Instance);
}
