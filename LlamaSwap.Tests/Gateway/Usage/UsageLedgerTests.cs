using LlamaSwap.Core.Limits;
using LlamaSwap.Core.Redis;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Usage;
using LlamaSwap.Tests.AuthProxy.Limits;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Gateway.Usage;

/// <summary>Activity rows -> the per-day Redis hash, the tokens-per-minute counters and the report.</summary>
public sealed class UsageLedgerTests(LimitsRedisFixture redis) : IClassFixture<LimitsRedisFixture>, IDisposable
{
    private readonly ManualTimeProvider _time = KeyLimiterTests.Clock();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Rows_AreAddedToTheDaysHash_PerKeyAndModel_StreamingIncluded()
    {
        await using var connector = await redis.ConnectAsync();
        var ledger = Ledger(connector);
        var listener = Listener(ledger);
        var key = $"team-{Guid.NewGuid():N}";

        listener.OnRecorded(Row(key, "llama", 10, 20));
        listener.OnRecorded(Row(key, "llama", 1, 2) with { Streaming = true });
        listener.OnRecorded(Row(key, "qwen", 5, -1));
        Assert.True(await ledger.FlushAsync(connector));

        var db = await connector.GetDatabaseAsync();
        var hash = (await db.HashGetAllAsync("llamaswap:usage:2026-01-01")).ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        Assert.Equal(2, hash[$"{key}|llama|requests"]);
        Assert.Equal(11, hash[$"{key}|llama|in"]);
        Assert.Equal(22, hash[$"{key}|llama|out"]);
        Assert.Equal(0, hash[$"{key}|qwen|out"]);

        var report = await ledger.ReadAsync("2026-01-01", key);
        Assert.Equal("2026-01-01", report.Day);
        Assert.False(report.Partial);
        Assert.Equal(
            [new UsageRow(key, "llama", 2, 11, 22), new UsageRow(key, "qwen", 1, 5, 0)],
            report.Usage);
    }

    [Fact]
    public async Task TokensOfANamedKey_AreAddedToItsCurrentMinute_AnonymousOnesAreNot()
    {
        await using var connector = await redis.ConnectAsync();
        var ledger = Ledger(connector);
        var key = $"team-{Guid.NewGuid():N}";

        Listener(ledger).OnRecorded(Row(key, "llama", 10, 20));
        Listener(ledger).OnRecorded(Row(null, "llama", 10, 20));
        Assert.True(await ledger.FlushAsync(connector));

        var db = await connector.GetDatabaseAsync();
        var minute = LimitKeys.Minute(_time.GetUtcNow());
        Assert.Equal(30, (long)await db.StringGetAsync(LimitKeys.Tokens(key, minute)));
        Assert.True((await db.KeyTimeToLiveAsync(LimitKeys.Tokens(key, minute))) <= LimitKeys.WindowTtl);
        Assert.False(await db.KeyExistsAsync(LimitKeys.Tokens(UsageKeyName.Anonymous, minute)));
        Assert.Contains(new UsageRow("-", "llama", 1, 10, 20), (await ledger.ReadAsync("2026-01-01", "-")).Usage);
    }

    [Fact]
    public async Task TheBackgroundLoop_WritesRecordedRowsToRedis()
    {
        await using var connector = await redis.ConnectAsync();
        var ledger = Ledger(connector);
        var key = $"team-{Guid.NewGuid():N}";
        await ledger.StartAsync(CancellationToken.None);
        try
        {
            Listener(ledger).OnRecorded(Row(key, "llama", 3, 4));

            var db = await connector.GetDatabaseAsync();
            await Eventually.TrueAsync(async () => (long)await db.HashGetAsync("llamaswap:usage:2026-01-01", $"{key}|llama|out") == 4, "the row is in Redis");
        }
        finally
        {
            await ledger.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task RedisUnreachable_FiguresStayInMemory_TheReportSaysPartial_AndTheOutageIsLoggedOnce()
    {
        await using var connector = await LimitsRedisFixture.UnreachableAsync();
        var log = new EventLog<UsageLedger>();
        var ledger = new UsageLedger(connector, _time, log);

        Listener(ledger).OnRecorded(Row("team-a", "llama", 3, 4));
        Assert.False(await ledger.FlushAsync(connector));
        Listener(ledger).OnRecorded(Row("team-a", "llama", 1, 1));
        Assert.False(await ledger.FlushAsync(connector));

        var report = await ledger.ReadAsync("2026-01-01", null);
        Assert.True(report.Partial);
        Assert.Equal([new UsageRow("team-a", "llama", 2, 4, 5)], report.Usage);
        Assert.Equal(1, log.Count(1710));
    }

    [Fact]
    public async Task WithoutRedis_TheLedgerIsInMemory_AndFiltersByDayAndKey()
    {
        var ledger = new UsageLedger(null, _time, NullLogger<UsageLedger>.Instance);
        var listener = Listener(ledger);

        listener.OnRecorded(Row("a", "m", 1, 1));
        listener.OnRecorded(Row("b", "m", 2, 2));
        listener.OnRecorded(Row("a", "m", 4, 4) with { Timestamp = new DateTimeOffset(2026, 1, 2, 0, 0, 1, TimeSpan.Zero) });

        Assert.Equal([new UsageRow("a", "m", 1, 1, 1), new UsageRow("b", "m", 1, 2, 2)], (await ledger.ReadAsync("2026-01-01", null)).Usage);
        Assert.Equal([new UsageRow("a", "m", 1, 4, 4)], (await ledger.ReadAsync("2026-01-02", "a")).Usage);
        Assert.Empty((await ledger.ReadAsync("2026-01-02", "b")).Usage);
    }

    internal static ActivityEntry Row(string? key, string model, long input, long output) => new()
    {
        Timestamp = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero),
        Model = model,
        ResponseStatusCode = 200,
        Tokens = new ActivityTokens { InputTokens = input, OutputTokens = output },
        KeyName = key,
    };

    private UsageLedger Ledger(RedisConnector connector) => new(connector, _time, NullLogger<UsageLedger>.Instance);

    private UsageActivityListener Listener(UsageLedger ledger)
        => new(ledger, new UsageMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
}
