namespace AgentScript.Storage.Sqlite;

/// <summary>
/// The SQLite schema (version <see cref="Version"/>). Column names are the snake_case forms of the model records;
/// structured values (tags, extra, payload, exception, metadata, counts, progress, error) are JSON text.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Stored in <c>PRAGMA user_version</c>; bump with a migration step when the schema changes.</summary>
    public const int Version = 1;

    /// <summary>Page size of new store files (bytes).</summary>
    public const int PageSize = 16384;

    /// <summary>The tables in the order <see cref="StoreInfo.Counts"/> lists them.</summary>
    public static readonly string[] Tables = ["log_events", "script_runs", "agent_learnings", "log_relations"];

    // Why these shapes:
    // - INTEGER PRIMARY KEY rowids keep the tables and the FTS index compact and give StreamEvents a position;
    //   the stable ids are UNIQUE so inserts can be idempotent (ON CONFLICT DO NOTHING — not OR IGNORE, which
    //   would also silently swallow NOT NULL/CHECK violations that must be reported as rejected writes).
    // - Timestamps are fixed-width ISO-8601 UTC text ("2026-11-24T12:14:18.1234567Z"): readable in raw SQL and
    //   ordered correctly by plain text comparison.
    // - The FTS tables are contentless with contentless_delete=1 (SQLite 3.43+): rows are inserted with the
    //   content row's rowid and deleted by rowid on prune, without duplicating the text.
    public const string CreateScript = """
        CREATE TABLE IF NOT EXISTS log_events (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE CHECK (length(event_id) > 0),
            timestamp TEXT NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL,
            message_template TEXT,
            execution_id TEXT,
            script_name TEXT,
            function_name TEXT,
            file_path TEXT,
            line_number INTEGER,
            log_category TEXT NOT NULL,
            source TEXT,
            tags TEXT,
            span_id TEXT,
            parent_span_id TEXT,
            correlation_id TEXT,
            extra TEXT,
            payload TEXT,
            exception TEXT,
            host TEXT,
            pid INTEGER,
            thread_id INTEGER
        );
        CREATE INDEX IF NOT EXISTS ix_log_events_execution_time ON log_events (execution_id, timestamp);
        -- (execution_id, log_category, level, timestamp) answers a run's per-level counts and first/last time
        -- from the index alone and finds its progress events without reading the run's other rows (the summary
        -- of a 100k-event run read every row through (execution_id, timestamp)). It replaces (level, timestamp),
        -- so the writer maintains the same number of indexes; the performance report's error counts now use
        -- (timestamp) for their time window.
        DROP INDEX IF EXISTS ix_log_events_level_time;
        CREATE INDEX IF NOT EXISTS ix_log_events_execution_category ON log_events (execution_id, log_category, level, timestamp);
        CREATE INDEX IF NOT EXISTS ix_log_events_time ON log_events (timestamp);

        CREATE TABLE IF NOT EXISTS script_runs (
            id INTEGER PRIMARY KEY,
            execution_id TEXT NOT NULL UNIQUE CHECK (length(execution_id) > 0),
            script_name TEXT NOT NULL,
            mode TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running','success','failed','cancelled','abandoned')),
            start_time TEXT NOT NULL,
            end_time TEXT,
            duration_ms REAL,
            pid INTEGER NOT NULL DEFAULT 0,
            host TEXT,
            metadata TEXT,
            error TEXT,
            final_response TEXT,
            messages_logged INTEGER NOT NULL DEFAULT 0,
            counts_by_level TEXT,
            progress TEXT,
            quality_score REAL,
            correlation_id TEXT,
            session_id TEXT,
            placeholder INTEGER NOT NULL DEFAULT 0,
            trace_id TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_script_runs_script_start ON script_runs (script_name, start_time);
        CREATE INDEX IF NOT EXISTS ix_script_runs_start ON script_runs (start_time);
        CREATE INDEX IF NOT EXISTS ix_script_runs_status ON script_runs (status);

        CREATE TABLE IF NOT EXISTS agent_learnings (
            id INTEGER PRIMARY KEY,
            learning_id TEXT NOT NULL UNIQUE CHECK (length(learning_id) > 0),
            timestamp TEXT NOT NULL,
            execution_id TEXT,
            script_name TEXT,
            learning TEXT NOT NULL,
            function_name TEXT,
            context TEXT,
            confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1)
        );
        CREATE INDEX IF NOT EXISTS ix_agent_learnings_time ON agent_learnings (timestamp);
        CREATE INDEX IF NOT EXISTS ix_agent_learnings_execution ON agent_learnings (execution_id);

        CREATE TABLE IF NOT EXISTS log_relations (
            id INTEGER PRIMARY KEY,
            relation_id TEXT NOT NULL UNIQUE CHECK (length(relation_id) > 0),
            from_id TEXT NOT NULL,
            to_id TEXT NOT NULL,
            type TEXT NOT NULL,
            rationale TEXT,
            confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
            created_by TEXT,
            created_at TEXT NOT NULL,
            valid_from TEXT,
            valid_to TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_log_relations_from ON log_relations (from_id);
        CREATE INDEX IF NOT EXISTS ix_log_relations_to ON log_relations (to_id);

        -- count(*) over millions of events costs tens of milliseconds, too much for every script start; the
        -- writer and prune keep this count in step instead (filled once from count(*) when missing).
        CREATE TABLE IF NOT EXISTS store_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO store_counts (name, n) SELECT 'log_events', (SELECT count(*) FROM log_events)
            WHERE NOT EXISTS (SELECT 1 FROM store_counts WHERE name = 'log_events');

        CREATE VIRTUAL TABLE IF NOT EXISTS log_events_fts USING fts5 (
            message, exception, payload,
            content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS agent_learnings_fts USING fts5 (
            learning, context,
            content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
        );
        """;

    /// <summary>Columns added after a store file may have been made, each with its ALTER TABLE (additive, same version).</summary>
    public static readonly (string Table, string Column, string Add)[] AddedColumns =
    [
        ("script_runs", "trace_id", "ALTER TABLE script_runs ADD COLUMN trace_id TEXT"),
    ];

    /// <summary>Sets the stored event count from the table (after writes the store did not make itself).</summary>
    public const string RecountEvents = "UPDATE store_counts SET n = (SELECT count(*) FROM log_events) WHERE name = 'log_events'";

    public const string ExceptionTextExpression =
        "CASE WHEN exception IS NULL THEN NULL ELSE concat_ws(' ', json_extract(exception, '$.type'), json_extract(exception, '$.message'), json_extract(exception, '$.stack_trace')) END";
}
