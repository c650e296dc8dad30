using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LlamaSwap.Tests.Gateway.Activity;

public sealed class ActivityStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ConfigHolder Config(int maxRows) => new(new LlamaSwapConfig { Observability = new ObservabilityConfig { MetricsMaxInMemory = maxRows } });

    private static ActivityStore StoreWith(int count, int maxRows = 100)
    {
        var store = new ActivityStore(Config(maxRows));
        for (var i = 0; i < count; i++)
        {
            var id = store.NewId();
            store.Add(new ActivityEntry
            {
                Id = id,
                Timestamp = T0.AddMinutes(id),
                Model = id % 2 == 0 ? "even" : "odd",
                Tokens = new ActivityTokens { InputTokens = 100 - id, OutputTokens = id * 10, TokensPerSecond = id },
                DurationMs = id * 3,
            });
        }

        return store;
    }

    private static ActivityQuery Query(params (string Key, string Value)[] pairs)
    {
        var query = new QueryCollection(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => new StringValues([.. g.Select(p => p.Value)])));
        var parsed = ActivityQuery.Parse(query, out var error);
        Assert.True(parsed is not null, error);
        return parsed;
    }

    [Fact]
    public void Ids_IncreaseFromOne()
    {
        var store = StoreWith(3);

        Assert.Equal([1L, 2, 3], store.All().Select(e => e.Id));
    }

    [Fact]
    public void OverTheLimit_OldestPruned()
    {
        var store = StoreWith(10, maxRows: 4);

        Assert.Equal([7L, 8, 9, 10], store.All().Select(e => e.Id));
    }

    [Fact]
    public void LimitFollowsReload()
    {
        var config = Config(10);
        var store = new ActivityStore(config);
        for (var i = 0; i < 5; i++)
        {
            store.Add(new ActivityEntry { Id = store.NewId() });
        }

        config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { MetricsMaxInMemory = 2 } });
        store.Add(new ActivityEntry { Id = store.NewId() });

        Assert.Equal([5L, 6], store.All().Select(e => e.Id));
    }

    [Fact]
    public void Default_NewestFirst25PerPage()
    {
        var page = Query().Apply(StoreWith(30).All());

        Assert.Equal(25, page.Data.Count);
        Assert.Equal(30, page.Data[0].Id);
        Assert.Equal(30, page.Total);
        Assert.Equal(2, page.TotalPages);
        Assert.Equal(1, page.Page);
    }

    [Fact]
    public void Paging_SecondPageHoldsTheRest()
    {
        var page = Query(("limit", "4"), ("page", "3"), ("order", "asc")).Apply(StoreWith(10).All());

        Assert.Equal([9L, 10], page.Data.Select(e => e.Id));
        Assert.Equal(3, page.TotalPages);
    }

    [Fact]
    public void Filters_ModelsRepeatableIdsAndTimes()
    {
        var store = StoreWith(10);

        Assert.Equal(10, Query(("model", "odd"), ("model", "even")).Apply(store.All()).Total);
        Assert.Equal([2L, 4, 6], Query(("model", "even"), ("max_id", "6"), ("order", "asc")).Apply(store.All()).Data.Select(e => e.Id));
        Assert.Equal([3L, 4, 5], Query(("min_id", "3"), ("max_id", "5"), ("order", "asc")).Apply(store.All()).Data.Select(e => e.Id));
        var start = T0.AddMinutes(8).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([8L, 9, 10], Query(("start", start), ("order", "asc")).Apply(store.All()).Data.Select(e => e.Id));
    }

    [Theory]
    [InlineData("prompt", "asc", 10)]
    [InlineData("generated", "desc", 10)]
    [InlineData("duration", "asc", 1)]
    [InlineData("gen_speed", "desc", 10)]
    [InlineData("time", "asc", 1)]
    public void Sort_ByColumn(string sort, string order, long firstId)
        => Assert.Equal(firstId, Query(("sort", sort), ("order", order)).Apply(StoreWith(10).All()).Data[0].Id);

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "1000")]
    [InlineData("limit", "x")]
    [InlineData("page", "0")]
    [InlineData("sort", "tokens")]
    [InlineData("order", "up")]
    [InlineData("start", "yesterday")]
    [InlineData("min_id", "-1")]
    public void InvalidParameter_Refused(string key, string value)
    {
        var query = new QueryCollection(new Dictionary<string, StringValues> { [key] = value });

        Assert.Null(ActivityQuery.Parse(query, out var error));
        Assert.Contains(key, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_TotalsAndHistogramPerModel()
    {
        var stats = ActivityStats.Of(StoreWith(10).All(), "odd");

        Assert.Equal(5, stats.TotalRequests);
        Assert.Equal((100 - 1) + (100 - 3) + (100 - 5) + (100 - 7) + (100 - 9), stats.TotalInputTokens);
        Assert.Equal(250, stats.TotalOutputTokens);
        Assert.Equal(0, stats.TotalCacheTokens);
        Assert.Equal(1, stats.GenHistogram.Min);
        Assert.Equal(9, stats.GenHistogram.Max);
        Assert.Equal(5, stats.GenHistogram.P50);
        Assert.Equal(9, stats.GenHistogram.P99);
        Assert.Equal(5, stats.GenHistogram.Bins.Sum());
        Assert.Empty(stats.PromptHistogram.Bins);
    }
}
