using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static LlamaSwap.Tests.Gateway.Activity.StoreFixtures;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>The activity store's rows in memory (no <c>store.path</c>): numbering, retention, and the API's queries in SQL.</summary>
public sealed class ActivityStoreTests
{
    private static ActivityStore StoreWith(int count, int maxRows = 100)
    {
        var store = InMemory(maxRows);
        for (var i = 1; i <= count; i++)
        {
            store.Record(Row(i), capture: null);
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

    private static long[] AllIds(ActivityStore store) => [.. store.Query(Query(("limit", "999"), ("order", "asc"))).Data.Select(e => e.Id)];

    [Fact]
    public void Ids_IncreaseFromOne()
    {
        using var store = StoreWith(3);

        Assert.Equal([1L, 2, 3], AllIds(store));
    }

    [Fact]
    public void Record_ReturnsTheRowWithItsId()
    {
        using var store = StoreWith(2);

        var row = store.Record(Row(3), capture: null);

        Assert.Equal(3, row.Id);
        Assert.Equal(Row(3) with { Id = 3 }, store.Query(Query(("max_id", "3"), ("min_id", "3"))).Data.Single());
    }

    [Fact]
    public void OverTheLimit_OldestPruned()
    {
        using var store = StoreWith(10, maxRows: 4);

        Assert.Equal([7L, 8, 9, 10], AllIds(store));
    }

    [Fact]
    public void LimitFollowsReload()
    {
        var config = Config(maxInMemory: 10);
        using var store = Store(config);
        for (var i = 1; i <= 5; i++)
        {
            store.Record(Row(i), capture: null);
        }

        config.Replace(new LlamaSwapConfig { Observability = new ObservabilityConfig { MetricsMaxInMemory = 2 } });
        store.Record(Row(6), capture: null);

        Assert.Equal([5L, 6], AllIds(store));
    }

    [Fact]
    public void Default_NewestFirst25PerPage()
    {
        using var store = StoreWith(30);
        var page = store.Query(Query());

        Assert.Equal(25, page.Data.Count);
        Assert.Equal(30, page.Data[0].Id);
        Assert.Equal(30, page.Total);
        Assert.Equal(2, page.TotalPages);
        Assert.Equal(1, page.Page);
    }

    [Fact]
    public void Paging_SecondPageHoldsTheRest()
    {
        using var store = StoreWith(10);
        var page = store.Query(Query(("limit", "4"), ("page", "3"), ("order", "asc")));

        Assert.Equal([9L, 10], page.Data.Select(e => e.Id));
        Assert.Equal(3, page.TotalPages);
    }

    [Fact]
    public void Paging_BeyondTheLastPage_EmptyWithTheTotal()
    {
        using var store = StoreWith(3);
        var page = store.Query(Query(("page", "5")));

        Assert.Empty(page.Data);
        Assert.Equal(3, page.Total);
        Assert.Equal(1, page.TotalPages);
    }

    [Fact]
    public void Filters_ModelsRepeatableIdsAndTimes()
    {
        using var store = StoreWith(10);

        Assert.Equal(10, store.Query(Query(("model", "odd"), ("model", "even"))).Total);
        Assert.Equal([2L, 4, 6], store.Query(Query(("model", "even"), ("max_id", "6"), ("order", "asc"))).Data.Select(e => e.Id));
        Assert.Equal([3L, 4, 5], store.Query(Query(("min_id", "3"), ("max_id", "5"), ("order", "asc"))).Data.Select(e => e.Id));
        var start = T0.AddMinutes(8).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([8L, 9, 10], store.Query(Query(("start", start), ("order", "asc"))).Data.Select(e => e.Id));
        var end = T0.AddMinutes(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([1L, 2], store.Query(Query(("end", end), ("order", "asc"))).Data.Select(e => e.Id));
    }

    [Theory]
    [InlineData("prompt", "asc", 10)]
    [InlineData("generated", "desc", 10)]
    [InlineData("duration", "asc", 1)]
    [InlineData("gen_speed", "desc", 10)]
    [InlineData("time", "asc", 1)]
    [InlineData("model", "asc", 2)]
    public void Sort_ByColumn(string sort, string order, long firstId)
    {
        using var store = StoreWith(10);

        Assert.Equal(firstId, store.Query(Query(("sort", sort), ("order", order))).Data[0].Id);
    }

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
        using var store = StoreWith(10);
        var stats = store.Stats("odd");

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

    [Fact]
    public void Stats_AllModels_UnknownTokensCountAsZero()
    {
        using var store = StoreWith(3);
        store.Record(Row(4) with { Tokens = ActivityTokens.Unknown }, capture: null);

        var stats = store.Stats(null);

        Assert.Equal(4, stats.TotalRequests);
        Assert.Equal(99 + 98 + 97, stats.TotalInputTokens);
        Assert.Equal(3, stats.GenHistogram.Bins.Sum());
    }
}
