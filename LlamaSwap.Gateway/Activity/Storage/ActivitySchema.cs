namespace LlamaSwap.Gateway.Activity.Storage;

/// <summary>
/// The tables of the activity store (docs/design.md, "Activity store"). Created if missing at open;
/// <see cref="Version"/> is kept in <c>meta</c> so a later change can migrate a file in place.
/// </summary>
internal static class ActivitySchema
{
    public const int Version = 1;

    /// <summary>Busy timeout: how long a write waits for another gateway's write on the same file.</summary>
    public const int BusyTimeoutMs = 5000;

    /// <summary>
    /// AUTOINCREMENT: an id is never handed out twice, even after its row was pruned, so ids keep
    /// increasing across restarts and across gateways sharing the file.
    /// </summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS activity (
            id                INTEGER PRIMARY KEY AUTOINCREMENT,
            ts_unix_ns        INTEGER NOT NULL,
            model             TEXT    NOT NULL,
            req_path          TEXT    NOT NULL,
            resp_content_type TEXT    NOT NULL,
            resp_status_code  INTEGER NOT NULL,
            cache_tokens      INTEGER NOT NULL,
            draft_tokens      INTEGER NOT NULL,
            draft_acc_tokens  INTEGER NOT NULL,
            input_tokens      INTEGER NOT NULL,
            output_tokens     INTEGER NOT NULL,
            prompt_per_second REAL    NOT NULL,
            tokens_per_second REAL    NOT NULL,
            duration_ms       INTEGER NOT NULL,
            has_capture       INTEGER NOT NULL,
            error_msg         TEXT,
            metadata_json     TEXT,
            streaming         INTEGER NOT NULL,
            first_byte_ms     REAL    NOT NULL,
            queue_wait_ms     REAL    NOT NULL,
            load_ms           REAL    NOT NULL,
            key_name          TEXT
        );

        CREATE INDEX IF NOT EXISTS activity_ts ON activity (ts_unix_ns);
        CREATE INDEX IF NOT EXISTS activity_model ON activity (model, id);

        CREATE TABLE IF NOT EXISTS captures (
            id            INTEGER PRIMARY KEY,
            size          INTEGER NOT NULL,
            req_path      TEXT    NOT NULL,
            req_headers   TEXT,
            req_body      BLOB,
            resp_headers  TEXT,
            resp_body     BLOB
        );

        -- Covers the byte total and the oldest-first eviction scan without reading the bodies' pages.
        CREATE INDEX IF NOT EXISTS captures_size ON captures (id, size);
        """;

    /// <summary>Every column of <c>activity</c> in the order <see cref="ActivityRows"/> reads them.</summary>
    public const string ActivityColumns =
        "id, ts_unix_ns, model, req_path, resp_content_type, resp_status_code, cache_tokens, draft_tokens, draft_acc_tokens, "
        + "input_tokens, output_tokens, prompt_per_second, tokens_per_second, duration_ms, has_capture, error_msg, metadata_json, "
        + "streaming, first_byte_ms, queue_wait_ms, load_ms, key_name";
}
