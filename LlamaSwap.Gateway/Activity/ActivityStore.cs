using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity.Storage;
using LlamaSwap.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// Activity rows and captures (reference 2.4.2, 2.4.3) in SQLite: the <c>store.path</c> file, shared by
/// every gateway naming it and kept across restarts, or private memory when unset. Rows: the newest
/// <c>metricsMaxInMemory</c> in memory, <see cref="ActivityOptions.FileMaxRows"/> in a file. Captures:
/// within <c>captureBuffer</c> MB, oldest evicted first. Ids come from the database. Written by the
/// recorder only; read by the API.
/// </summary>
/// <remarks>
/// A reload that changes <c>store.path</c> opens the new store and then switches to it (rows are not
/// copied); when the new one cannot be opened the error is logged and the old store stays in use.
/// </remarks>
internal sealed partial class ActivityStore : IDisposable
{
    private readonly ConfigHolder _config;
    private readonly ActivityOptions _options;
    private readonly ILogger<ActivityStore> _logger;
    private readonly Lock _switchLock = new();
    private volatile ActivityDatabase _database;

    public ActivityStore(ConfigHolder config, IOptions<ActivityOptions> options, ILogger<ActivityStore> logger)
    {
        _config = config;
        _options = options.Value;
        _logger = logger;
        _database = ActivityDatabase.Open(config.Current.Observability.StorePath);
        config.Replaced += OnReplaced;
    }

    /// <summary>
    /// Before the gateway is built: null when <c>store.path</c> is unset or opens (the file is then
    /// created, in WAL mode), else why it cannot be used.
    /// </summary>
    public static string? CheckAtStartup(LlamaSwapConfig config)
    {
        if (config.Observability.StorePath is not { } path)
        {
            return null;
        }

        try
        {
            using var database = ActivityDatabase.Open(path);
            return null;
        }
        catch (ActivityStoreException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The database in use (tests, the cross-gateway feed's store id).</summary>
    public ActivityDatabase Database => _database;

    public bool CapturesEnabled => _config.Current.Observability.CaptureBufferBytes > 0;

    /// <summary>
    /// Stores <paramref name="entry"/> with a new id and, when it fits the buffer, its capture
    /// (<c>has_capture</c> says whether it was kept); prunes old rows and captures.
    /// </summary>
    public ActivityEntry Record(ActivityEntry entry, Capture? capture)
    {
        var observability = _config.Current.Observability;
        return Use(db =>
        {
            var maxRows = db.InMemory
                ? (observability.MetricsMaxInMemory > 0 ? observability.MetricsMaxInMemory : ObservabilityConfig.DefaultMetricsMaxInMemory)
                : Math.Max(1, _options.FileMaxRows);
            return db.Record(entry, capture, observability.CaptureBufferBytes, maxRows);
        });
    }

    public ActivityPage Query(ActivityQuery query) => Use(db => db.Query(query));

    public ActivityStats Stats(string? model) => Use(db => db.Stats(model));

    public Capture? Capture(long id) => Use(db => db.Capture(id));

    public void Dispose()
    {
        _config.Replaced -= OnReplaced;
        lock (_switchLock)
        {
            _database.Dispose();
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the database in use, again on the new one if a reload closed it meanwhile.</summary>
    private T Use<T>(Func<ActivityDatabase, T> operation)
    {
        while (true)
        {
            var database = _database;
            try
            {
                return operation(database);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(database, _database))
            {
                // Switched by a reload between reading _database and using it.
            }
        }
    }

    private void OnReplaced(LlamaSwapConfig config)
    {
        var path = config.Observability.StorePath;
        lock (_switchLock)
        {
            var current = _database;
            if (SamePath(current.Path, path))
            {
                return;
            }

            ActivityDatabase next;
            try
            {
                next = ActivityDatabase.Open(path);
            }
            catch (ActivityStoreException ex)
            {
                Log.SwitchFailed(_logger, current.Path ?? "memory", ex.Message);
                return;
            }

            _database = next;
            current.Dispose();
            Log.Switched(_logger, current.Path ?? "memory", next.Path ?? "memory");
        }
    }

    private static bool SamePath(string? open, string? configured)
    {
        if (open is null || configured is null)
        {
            return open is null && configured is null;
        }

        try
        {
            return string.Equals(open, Path.GetFullPath(configured), StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            // Not a valid path: not the one open; opening it reports why.
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1110, Level = LogLevel.Error, Message = "store.path changed on reload but the new store cannot be used; activity stays in {Current}: {Reason}")]
        public static partial void SwitchFailed(ILogger logger, string current, string reason);

        [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "store.path changed on reload: activity now goes to {Next} (was {Previous}; its rows stay there)")]
        public static partial void Switched(ILogger logger, string previous, string next);
    }
}
