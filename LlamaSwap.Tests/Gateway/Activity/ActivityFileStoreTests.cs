using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Activity.Storage;
using LlamaSwap.Tests.Configuration;
using Microsoft.AspNetCore.Http;
using static LlamaSwap.Tests.Gateway.Activity.StoreFixtures;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary><c>store.path</c>: a SQLite file in WAL mode that keeps rows and captures across restarts and between writers.</summary>
public sealed class ActivityFileStoreTests
{
    private static ActivityQuery Everything() => ActivityQuery.Parse(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["limit"] = "999", ["order"] = "asc" }), out _)!;

    private static ActivityEntry FullRow() => Row(1, "author/model") with
    {
        Timestamp = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567),
        ResponseContentType = "text/event-stream",
        ResponseStatusCode = 502,
        Tokens = new ActivityTokens
        {
            CacheTokens = 1, DraftTokens = 2, DraftAcceptedTokens = 3, InputTokens = 4, OutputTokens = 5, PromptPerSecond = 6.5, TokensPerSecond = 7.25,
        },
        DurationMs = 1234,
        ErrorMessage = "502 Bad Gateway",
        Metadata = new Dictionary<string, string> { ["selector"] = "fast", ["fifo_priority"] = "0" },
        Streaming = true,
        FirstByteMs = 12.5,
        QueueWaitMs = 3.25,
        LoadMs = 900,
        KeyName = "alice",
    };

    private static Capture FullCapture() => new()
    {
        RequestPath = "/v1/chat/completions",
        RequestHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Authorization"] = "[redacted]" },
        RequestBody = "{\"model\":\"m\"}"u8.ToArray(),
        ResponseHeaders = new Dictionary<string, string> { ["Content-Type"] = "text/event-stream" },
        ResponseBody = "data: {}\n\n"u8.ToArray(),
    };

    [Fact]
    public void RoundTrip_EveryFieldOfRowAndCapture()
    {
        using var dir = new TempStoreDirectory();
        using var store = Store(Config(dir.File()));

        var stored = store.Record(FullRow(), FullCapture());
        var read = store.Query(Everything()).Data.Single();
        var capture = store.Capture(stored.Id);

        Assert.Equal(FullRow() with { Id = stored.Id, HasCapture = true, Metadata = read.Metadata }, read);
        Assert.Equal(FullRow().Metadata, read.Metadata);
        Assert.Equal(FullRow().Timestamp, read.Timestamp);
        Assert.NotNull(capture);
        Assert.Equal(FullCapture() with { Id = stored.Id, RequestHeaders = capture.RequestHeaders, ResponseHeaders = capture.ResponseHeaders, RequestBody = capture.RequestBody, ResponseBody = capture.ResponseBody }, capture);
        Assert.Equal(FullCapture().RequestHeaders, capture.RequestHeaders);
        Assert.Equal(FullCapture().ResponseHeaders, capture.ResponseHeaders);
        Assert.Equal(FullCapture().RequestBody, capture.RequestBody);
        Assert.Equal(FullCapture().ResponseBody, capture.ResponseBody);
    }

    [Fact]
    public void Open_FileIsInWalModeWithABusyTimeout()
    {
        using var dir = new TempStoreDirectory();
        using var store = Store(Config(dir.File()));
        store.Record(Row(1), capture: null);

        Assert.Equal("wal", store.Database.JournalMode());
        Assert.True(File.Exists(dir.File() + "-wal"));
        Assert.False(store.Database.InMemory);
    }

    [Fact]
    public void Unset_InMemoryAndNoFile()
    {
        using var store = InMemory();

        Assert.True(store.Database.InMemory);
        Assert.Equal("memory", store.Database.JournalMode());
    }

    [Fact]
    public void Restart_KeepsRowsAndCapturesAndNumbersOn()
    {
        using var dir = new TempStoreDirectory();
        var config = Config(dir.File());
        using (var first = Store(config))
        {
            for (var n = 1; n <= 3; n++)
            {
                first.Record(Row(n), Sized(100 + (int)n));
            }
        }

        using var second = Store(config);
        var rows = second.Query(Everything()).Data;
        var next = second.Record(Row(4), capture: null);

        Assert.Equal([1L, 2, 3], rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.True(r.HasCapture));
        Assert.Equal(102, second.Capture(2)!.RequestBody!.Length);
        Assert.Equal(4, next.Id);
        Assert.Equal(3, second.Stats(null).TotalRequests - 1);
    }

    [Fact]
    public void Restart_AfterPruning_IdsAreNotReused()
    {
        using var dir = new TempStoreDirectory();
        var config = Config(dir.File());
        using (var first = Store(config, fileMaxRows: 2))
        {
            for (var n = 1; n <= 5; n++)
            {
                first.Record(Row(n), capture: null);
            }
        }

        using var second = Store(config, fileMaxRows: 2);

        Assert.Equal(6, second.Record(Row(6), capture: null).Id);
        Assert.Equal([5L, 6], second.Query(Everything()).Data.Select(r => r.Id));
    }

    [Fact]
    public void Retention_FileKeepsFileMaxRowsNotMetricsMaxInMemory()
    {
        using var dir = new TempStoreDirectory();
        using var store = Store(Config(dir.File(), maxInMemory: 2), fileMaxRows: 5);
        for (var n = 1; n <= 12; n++)
        {
            store.Record(Row(n), Sized(10));
        }

        var page = store.Query(Everything());

        Assert.Equal(5, page.Total);
        Assert.Equal([8L, 9, 10, 11, 12], page.Data.Select(r => r.Id));
        Assert.Null(store.Capture(7));
        Assert.Equal(5 * Sized(10).Size, store.Database.CaptureBytes());
    }

    [Fact]
    public async Task ConcurrentWriters_OnOneFile_NoLostRowsAndNoLockErrors()
    {
        using var dir = new TempStoreDirectory();
        const int PerWriter = 150;
        using var a = Store(Config(dir.File()));
        using var b = Store(Config(dir.File()));

        // Two stores (two connections, as two gateways have) writing at once, with captures to evict.
        var writers = new[] { a, b }.Select((store, w) => Task.Run(() =>
        {
            var ids = new List<long>();
            for (var n = 0; n < PerWriter; n++)
            {
                ids.Add(store.Record(Row(n, $"writer{w}"), Sized(20_000)).Id);
            }

            return ids;
        })).ToArray();
        var ids = (await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60))).SelectMany(i => i).ToList();
        Assert.Equal(2 * PerWriter, ids.Distinct().Count());
        Assert.Equal(ids.Order(), a.Query(Everything()).Data.Select(r => r.Id));
        Assert.Equal(PerWriter, b.Stats("writer0").TotalRequests);
        Assert.True(a.Database.CaptureBytes() <= 5L * 1024 * 1024);
    }

    [Fact]
    public void Reload_NewPathSwitchesStore()
    {
        using var dir = new TempStoreDirectory();
        var config = Config(dir.File("one.db"));
        using var store = Store(config);
        store.Record(Row(1), capture: null);

        config.Replace(Config(dir.File("two.db")).Current);
        var row = store.Record(Row(2), capture: null);

        Assert.Equal(dir.File("two.db"), store.Database.Path);
        Assert.Equal(1, row.Id);
        Assert.Single(store.Query(Everything()).Data);
    }

    [Fact]
    public void Reload_UnusablePath_KeepsTheOldStore()
    {
        using var dir = new TempStoreDirectory();
        var config = Config(dir.File());
        using var store = Store(config);
        store.Record(Row(1), capture: null);

        config.Replace(Config(Path.Combine(dir.Path, "missing", "activity.db")).Current);
        store.Record(Row(2), capture: null);

        Assert.Equal(dir.File(), store.Database.Path);
        Assert.Equal([1L, 2], store.Query(Everything()).Data.Select(r => r.Id));
    }

    [Fact]
    public void Config_EmptyPath_ErrorWithItsLine()
    {
        var result = ConfigAssert.Fails("""
            models: {}
            store:
              path: ""
            """);

        ConfigAssert.HasError(result, "store.path", "store.path at line 3");
        ConfigAssert.HasError(result, "store.path", "is empty");
    }

    [Fact]
    public void Config_Path_Read()
        => Assert.Equal("/var/lib/llamaswap/activity.db", ConfigAssert.Loads("store: { path: /var/lib/llamaswap/activity.db }").Observability.StorePath);

    [Fact]
    public void Config_NoStore_InMemory()
        => Assert.Null(ConfigAssert.Loads("models: {}").Observability.StorePath);

    [Fact]
    public void Startup_MissingDirectory_ClearError()
    {
        using var dir = new TempStoreDirectory();
        var path = Path.Combine(dir.Path, "missing", "activity.db");

        var problem = ActivityStore.CheckAtStartup(Config(path).Current);

        Assert.Equal($"store.path {path}: directory {Path.Combine(dir.Path, "missing")} does not exist", problem);
        Assert.Throws<ActivityStoreException>(() => Store(Config(path)));
    }

    [Fact]
    public void Startup_UnwritableDirectory_ClearError()
    {
        // Linux /proc refuses new files even to root (the tests may run as root, which ignores mode
        // bits); elsewhere a directory made read-only.
        using var dir = new TempStoreDirectory();
        var directory = "/proc";
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            directory = Path.Combine(dir.Path, "readonly");
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(directory, "activity.db");
        var problem = ActivityStore.CheckAtStartup(Config(path).Current);

        Assert.NotNull(problem);
        Assert.StartsWith($"store.path {path}: directory {directory} is not writable", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_PathIsADirectory_ClearError()
    {
        using var dir = new TempStoreDirectory();

        Assert.Equal($"store.path {dir.Path} is a directory; name a file in it", ActivityStore.CheckAtStartup(Config(dir.Path).Current));
    }

    [Fact]
    public void Startup_UsablePath_NoProblemAndTheFileExists()
    {
        using var dir = new TempStoreDirectory();

        Assert.Null(ActivityStore.CheckAtStartup(Config(dir.File()).Current));
        Assert.True(File.Exists(dir.File()));
        Assert.Null(ActivityStore.CheckAtStartup(Config(null).Current));
    }
}
