using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LlamaSwap.Gateway.Activity.Storage;

/// <summary>
/// One SQLite database of activity rows and captures: a file (<c>store.path</c>, WAL, shared by every
/// gateway that names it) or private memory. This process uses one connection, one operation at a
/// time (operations take well under a millisecond to a few; the recorder is the only writer here);
/// other processes on the same file are kept in step by SQLite's locks, waited for up to
/// <see cref="ActivitySchema.BusyTimeoutMs"/>.
/// </summary>
internal sealed class ActivityDatabase : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private bool _disposed;

    private ActivityDatabase(SqliteConnection connection, string? path, string storeId)
    {
        _connection = connection;
        Path = path;
        StoreId = storeId;
    }

    /// <summary>The file, or null in memory.</summary>
    public string? Path { get; }

    /// <summary>A random id written into the database when it was created: gateways sharing a file share it.</summary>
    public string StoreId { get; }

    public bool InMemory => Path is null;

    /// <summary>Opens (creating if needed) the file at <paramref name="path"/>, or a private in-memory database when null.</summary>
    /// <exception cref="ActivityStoreException">The file cannot be opened, created, or put in WAL mode.</exception>
    public static ActivityDatabase Open(string? path)
    {
        var fullPath = path is null ? null : CheckPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath ?? ":memory:",
            Mode = SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection per database: nothing to pool, and clearing a pool at dispose
            // would close other stores' connections to the same file in tests.
            Pooling = false,
            DefaultTimeout = ActivitySchema.BusyTimeoutMs / 1000,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {ActivitySchema.BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)}");
            if (fullPath is not null)
            {
                var mode = Scalar(connection, "PRAGMA journal_mode = WAL")?.ToString();
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ActivityStoreException($"store.path {fullPath}: could not switch the database to WAL mode (journal_mode is {mode})");
                }

                // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last rows.
                Execute(connection, "PRAGMA synchronous = NORMAL");
            }

            var storeId = Migrate(connection);
            return new ActivityDatabase(connection, fullPath, storeId);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new ActivityStoreException($"store.path {fullPath}: cannot open the activity database: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Stores a row (and its capture) in one transaction, then prunes; returns the row as stored.</summary>
    public ActivityEntry Record(ActivityEntry entry, Capture? capture, long captureLimitBytes, int maxRows)
    {
        lock (_lock)
        {
            // BEGIN IMMEDIATE: take the write lock up front, so waiting for another gateway is done by
            // the busy timeout instead of failing when a read transaction tries to become a write.
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction(deferred: false);
            var keepCapture = capture is not null && capture.Size <= captureLimitBytes;
            var stored = entry with { HasCapture = keepCapture };

            using (var insert = Command(ActivityRows.Insert, transaction))
            {
                ActivityRows.Bind(insert, stored);
                stored = stored with { Id = (long)insert.ExecuteScalar()! };
            }

            // Ids are never reused and gaps are rare (a rolled-back insert), so an id range bounds the row count.
            using (var prune = Command("DELETE FROM activity WHERE id <= $cutoff; DELETE FROM captures WHERE id <= $cutoff", transaction))
            {
                prune.Parameters.AddWithValue("$cutoff", stored.Id - Math.Max(1, maxRows));
                prune.ExecuteNonQuery();
            }

            EvictCaptures(transaction, Math.Max(0, captureLimitBytes - (keepCapture ? capture!.Size : 0)));
            if (keepCapture)
            {
                using var insertCapture = Command(ActivityRows.InsertCapture, transaction);
                ActivityRows.Bind(insertCapture, stored.Id, capture!);
                insertCapture.ExecuteNonQuery();
            }

            transaction.Commit();
            return stored;
        }
    }

    public ActivityPage Query(ActivityQuery query)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new List<SqliteParameter>();
        if (query.Models.Count > 0)
        {
            where.Append(" AND model IN (");
            for (var i = 0; i < query.Models.Count; i++)
            {
                where.Append(i == 0 ? "" : ", ").Append("$m").Append(i);
                parameters.Add(new SqliteParameter($"$m{i}", query.Models[i]));
            }

            where.Append(')');
        }

        AddBound(where, parameters, "ts_unix_ns >= $start", "$start", query.Start is { } start ? ActivityRows.ToUnixNs(start) : null);
        AddBound(where, parameters, "ts_unix_ns <= $end", "$end", query.End is { } end ? ActivityRows.ToUnixNs(end) : null);
        AddBound(where, parameters, "id >= $min_id", "$min_id", query.MinId);
        AddBound(where, parameters, "id <= $max_id", "$max_id", query.MaxId);

        var direction = query.Descending ? "DESC" : "ASC";
        var offset = Math.Min(long.MaxValue / 2, (long)(query.Page - 1) * query.Limit);
        var sql = $"""
            SELECT {ActivitySchema.ActivityColumns} FROM activity {where}
            ORDER BY {ActivityQuery.Column(query.Sort)} {direction}, id {direction}
            LIMIT {query.Limit.ToString(CultureInfo.InvariantCulture)} OFFSET {offset.ToString(CultureInfo.InvariantCulture)};
            SELECT COUNT(*) FROM activity {where};
            """;

        lock (_lock)
        {
            using var command = Command(sql);
            command.Parameters.AddRange(parameters);
            using var reader = command.ExecuteReader();
            var rows = new List<ActivityEntry>(query.Limit);
            while (reader.Read())
            {
                rows.Add(ActivityRows.Read(reader));
            }

            reader.NextResult();
            reader.Read();
            var total = (int)Math.Min(int.MaxValue, reader.GetInt64(0));
            return new ActivityPage(rows, query.Page, query.Limit, total, (int)(((long)total + query.Limit - 1) / query.Limit));
        }
    }

    /// <param name="model">Only this model's rows; null or empty for all.</param>
    public ActivityStats Stats(string? model)
    {
        var filter = string.IsNullOrEmpty(model) ? "" : "WHERE model = $model";
        var speedFilter = string.IsNullOrEmpty(model) ? "WHERE" : "WHERE model = $model AND";
        var sql = $"""
            SELECT COUNT(*), COALESCE(SUM(MAX(0, input_tokens)), 0), COALESCE(SUM(MAX(0, output_tokens)), 0),
                   COALESCE(SUM(MAX(0, cache_tokens)), 0)
            FROM activity {filter};
            SELECT prompt_per_second FROM activity {speedFilter} prompt_per_second > 0;
            SELECT tokens_per_second FROM activity {speedFilter} tokens_per_second > 0;
            """;
        lock (_lock)
        {
            using var command = Command(sql);
            if (!string.IsNullOrEmpty(model))
            {
                command.Parameters.AddWithValue("$model", model);
            }

            using var reader = command.ExecuteReader();
            reader.Read();
            var stats = new ActivityStats
            {
                TotalRequests = (int)Math.Min(int.MaxValue, reader.GetInt64(0)),
                TotalInputTokens = reader.GetInt64(1),
                TotalOutputTokens = reader.GetInt64(2),
                TotalCacheTokens = reader.GetInt64(3),
            };
            reader.NextResult();
            var prompt = Doubles(reader);
            reader.NextResult();
            var gen = Doubles(reader);
            return stats with { PromptHistogram = Histogram.Of(prompt), GenHistogram = Histogram.Of(gen) };
        }
    }

    public Capture? Capture(long id)
    {
        lock (_lock)
        {
            using var command = Command("SELECT id, req_path, req_headers, req_body, resp_headers, resp_body FROM captures WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ActivityRows.ReadCapture(reader) : null;
        }
    }

    /// <summary>Bytes of captures held (the <c>size</c> column: bodies plus header text).</summary>
    public long CaptureBytes()
    {
        lock (_lock)
        {
            using var command = Command("SELECT COALESCE(SUM(size), 0) FROM captures");
            return (long)command.ExecuteScalar()!;
        }
    }

    public string JournalMode()
    {
        lock (_lock)
        {
            using var command = Command("PRAGMA journal_mode");
            return (string)command.ExecuteScalar()!;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }

    private void EvictCaptures(SqliteTransaction transaction, long keepAtMost)
    {
        using var total = Command("SELECT COALESCE(SUM(size), 0) FROM captures", transaction);
        var excess = (long)total.ExecuteScalar()! - keepAtMost;
        if (excess <= 0)
        {
            return;
        }

        // Oldest first (ids increase with time) until enough bytes are freed.
        long cutoff = 0;
        using (var oldest = Command("SELECT id, size FROM captures ORDER BY id", transaction))
        using (var reader = oldest.ExecuteReader())
        {
            while (excess > 0 && reader.Read())
            {
                cutoff = reader.GetInt64(0);
                excess -= reader.GetInt64(1);
            }
        }

        // The row no longer offers a capture it cannot serve.
        using var evict = Command(
            "UPDATE activity SET has_capture = 0 WHERE id IN (SELECT id FROM captures WHERE id <= $cutoff); DELETE FROM captures WHERE id <= $cutoff",
            transaction);
        evict.Parameters.AddWithValue("$cutoff", cutoff);
        evict.ExecuteNonQuery();
    }

    /// <summary>Called under the lock: a reload may have swapped this database out and closed it (the caller retries on the new one).</summary>
    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static double[] Doubles(SqliteDataReader reader)
    {
        var values = new List<double>();
        while (reader.Read())
        {
            values.Add(reader.GetDouble(0));
        }

        return [.. values];
    }

    private static void AddBound(StringBuilder where, List<SqliteParameter> parameters, string condition, string name, long? value)
    {
        if (value is { } v)
        {
            where.Append(" AND ").Append(condition);
            parameters.Add(new SqliteParameter(name, v));
        }
    }

    /// <summary>Creates the tables on a new database and returns its store id (made on first open).</summary>
    private static string Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var create = connection.CreateCommand();
        create.Transaction = transaction;
        create.CommandText = ActivitySchema.Create;
        create.ExecuteNonQuery();

        using var meta = connection.CreateCommand();
        meta.Transaction = transaction;
        meta.CommandText = """
            INSERT OR IGNORE INTO meta (key, value) VALUES ('store_id', $id), ('schema_version', $version);
            SELECT value FROM meta WHERE key = 'schema_version';
            SELECT value FROM meta WHERE key = 'store_id';
            """;
        meta.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("N"));
        meta.Parameters.AddWithValue("$version", ActivitySchema.Version.ToString(CultureInfo.InvariantCulture));
        string version;
        string storeId;
        using (var reader = meta.ExecuteReader())
        {
            reader.Read();
            version = reader.GetString(0);
            reader.NextResult();
            reader.Read();
            storeId = reader.GetString(0);
        }

        if (version != ActivitySchema.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new ActivityStoreException($"the activity database has schema version {version}; this gateway knows version {ActivitySchema.Version}");
        }

        transaction.Commit();
        return storeId;
    }

    /// <summary>A clear message for a file that cannot work, before SQLite's own terser ones.</summary>
    private static string CheckPath(string path)
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ActivityStoreException($"store.path \"{path}\" is not a valid path: {ex.Message}", ex);
        }

        if (Directory.Exists(full))
        {
            throw new ActivityStoreException($"store.path {full} is a directory; name a file in it");
        }

        var directory = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new ActivityStoreException($"store.path {full}: directory {directory} does not exist");
        }

        // WAL needs to create the -wal and -shm files next to the database: probe the directory itself.
        var probe = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ActivityStoreException($"store.path {full}: directory {directory} is not writable ({ex.Message})", ex);
        }

        return full;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

/// <summary>The activity store cannot be used (its message names the path and the reason).</summary>
internal sealed class ActivityStoreException : Exception
{
    public ActivityStoreException(string message)
        : base(message)
    {
    }

    public ActivityStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
