using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace LlamaSwap.Gateway.Activity.Storage;

/// <summary>Maps <see cref="ActivityEntry"/> and <see cref="Capture"/> to their rows and back.</summary>
internal static class ActivityRows
{
    public const string Insert = """
        INSERT INTO activity (ts_unix_ns, model, req_path, resp_content_type, resp_status_code, cache_tokens, draft_tokens,
            draft_acc_tokens, input_tokens, output_tokens, prompt_per_second, tokens_per_second, duration_ms, has_capture,
            error_msg, metadata_json, streaming, first_byte_ms, queue_wait_ms, load_ms, key_name)
        VALUES ($ts, $model, $req_path, $resp_content_type, $resp_status_code, $cache_tokens, $draft_tokens,
            $draft_acc_tokens, $input_tokens, $output_tokens, $prompt_per_second, $tokens_per_second, $duration_ms, $has_capture,
            $error_msg, $metadata_json, $streaming, $first_byte_ms, $queue_wait_ms, $load_ms, $key_name)
        RETURNING id
        """;

    public const string InsertCapture = """
        INSERT INTO captures (id, size, req_path, req_headers, req_body, resp_headers, resp_body)
        VALUES ($id, $size, $req_path, $req_headers, $req_body, $resp_headers, $resp_body)
        """;

    /// <summary>Nanoseconds since the Unix epoch: exact for <see cref="DateTimeOffset"/>'s 100 ns ticks until 2262.</summary>
    public static long ToUnixNs(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static DateTimeOffset FromUnixNs(long ns) => new(DateTimeOffset.UnixEpoch.UtcTicks + (ns / 100), TimeSpan.Zero);

    public static void Bind(SqliteCommand command, ActivityEntry entry)
    {
        var p = command.Parameters;
        p.AddWithValue("$ts", ToUnixNs(entry.Timestamp));
        p.AddWithValue("$model", entry.Model);
        p.AddWithValue("$req_path", entry.RequestPath);
        p.AddWithValue("$resp_content_type", entry.ResponseContentType);
        p.AddWithValue("$resp_status_code", entry.ResponseStatusCode);
        p.AddWithValue("$cache_tokens", entry.Tokens.CacheTokens);
        p.AddWithValue("$draft_tokens", entry.Tokens.DraftTokens);
        p.AddWithValue("$draft_acc_tokens", entry.Tokens.DraftAcceptedTokens);
        p.AddWithValue("$input_tokens", entry.Tokens.InputTokens);
        p.AddWithValue("$output_tokens", entry.Tokens.OutputTokens);
        p.AddWithValue("$prompt_per_second", entry.Tokens.PromptPerSecond);
        p.AddWithValue("$tokens_per_second", entry.Tokens.TokensPerSecond);
        p.AddWithValue("$duration_ms", entry.DurationMs);
        p.AddWithValue("$has_capture", entry.HasCapture);
        p.AddWithValue("$error_msg", (object?)entry.ErrorMessage ?? DBNull.Value);
        p.AddWithValue("$metadata_json", entry.Metadata is { } metadata ? JsonSerializer.Serialize(metadata) : DBNull.Value);
        p.AddWithValue("$streaming", entry.Streaming);
        p.AddWithValue("$first_byte_ms", entry.FirstByteMs);
        p.AddWithValue("$queue_wait_ms", entry.QueueWaitMs);
        p.AddWithValue("$load_ms", entry.LoadMs);
        p.AddWithValue("$key_name", (object?)entry.KeyName ?? DBNull.Value);
    }

    /// <summary>Reads a row selected with <see cref="ActivitySchema.ActivityColumns"/>.</summary>
    public static ActivityEntry Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Timestamp = FromUnixNs(reader.GetInt64(1)),
        Model = reader.GetString(2),
        RequestPath = reader.GetString(3),
        ResponseContentType = reader.GetString(4),
        ResponseStatusCode = reader.GetInt32(5),
        Tokens = new ActivityTokens
        {
            CacheTokens = reader.GetInt64(6),
            DraftTokens = reader.GetInt64(7),
            DraftAcceptedTokens = reader.GetInt64(8),
            InputTokens = reader.GetInt64(9),
            OutputTokens = reader.GetInt64(10),
            PromptPerSecond = reader.GetDouble(11),
            TokensPerSecond = reader.GetDouble(12),
        },
        DurationMs = reader.GetInt64(13),
        HasCapture = reader.GetBoolean(14),
        ErrorMessage = reader.IsDBNull(15) ? null : reader.GetString(15),
        Metadata = reader.IsDBNull(16) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(16)),
        Streaming = reader.GetBoolean(17),
        FirstByteMs = reader.GetDouble(18),
        QueueWaitMs = reader.GetDouble(19),
        LoadMs = reader.GetDouble(20),
        KeyName = reader.IsDBNull(21) ? null : reader.GetString(21),
    };

    public static void Bind(SqliteCommand command, long id, Capture capture)
    {
        var p = command.Parameters;
        p.AddWithValue("$id", id);
        p.AddWithValue("$size", capture.Size);
        p.AddWithValue("$req_path", capture.RequestPath);
        p.AddWithValue("$req_headers", Headers(capture.RequestHeaders));
        p.AddWithValue("$req_body", (object?)capture.RequestBody ?? DBNull.Value);
        p.AddWithValue("$resp_headers", Headers(capture.ResponseHeaders));
        p.AddWithValue("$resp_body", (object?)capture.ResponseBody ?? DBNull.Value);
    }

    /// <summary>Reads <c>id, req_path, req_headers, req_body, resp_headers, resp_body</c>.</summary>
    public static Capture ReadCapture(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RequestPath = reader.GetString(1),
        RequestHeaders = Headers(reader, 2),
        RequestBody = reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3),
        ResponseHeaders = Headers(reader, 4),
        ResponseBody = reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5),
    };

    private static object Headers(IReadOnlyDictionary<string, string>? headers)
        => headers is null ? DBNull.Value : JsonSerializer.Serialize(headers);

    private static Dictionary<string, string>? Headers(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(ordinal));
}
