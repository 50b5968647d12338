// Job: the AQL texts of the ArangoDB store's reads and writes, as constants (the prune queries are in
// AqlQueries.Prune.cs). The AQL syntax and bind-parameter tests read the whole catalogue through reflection.
namespace AgentScript.Storage.Arango;

/// <summary>
/// Every AQL text the ArangoDB store runs, in one place. User values travel only as bind variables
/// (<c>@name</c>); nothing is ever formatted into these texts (a test checks it). Collection and view names are
/// fixed here because AQL cannot bind view names. Filters that may be absent are written
/// <c>(@x == null OR field == @x)</c> so one text serves every combination.
/// </summary>
internal static partial class AqlQueries
{
    /// <summary>
    /// A search text with <c>waitForSync: true</c> in its view OPTIONS, so the view commits pending writes first.
    /// Only the test store uses it (<see cref="ArangoLogStore.WaitForViewSync"/>).
    /// </summary>
    public static string WithViewSync(string aql) =>
        aql.Replace("OPTIONS { collections: [", "OPTIONS { waitForSync: true, collections: [", StringComparison.Ordinal);

    /// <summary>
    /// Events ranked by BM25 over <c>search_text</c> (any word matches; more matching words rank higher, as FTS5
    /// bm25 does on SQLite), filters, paging. The view is eventually consistent: an event becomes searchable when
    /// the view next commits (<c>commitIntervalMsec</c> 1000, so about a second after it is stored). The
    /// documentation reserves <c>waitForSync</c> for tests; <see cref="WithViewSync"/> adds it there.
    /// </summary>
    public const string SearchEvents = """
        FOR d IN log_events_view
          SEARCH ANALYZER(d.search_text IN TOKENS(@text, "text_en"), "text_en")
          OPTIONS { collections: ["log_events"] }
          FILTER (@level == null OR d.level == @level)
            AND (@script == null OR d.script_name == @script)
            AND (@execution == null OR d.execution_id == @execution)
            AND (@category == null OR d.log_category == @category)
            AND (@since == null OR d.timestamp >= @since)
            AND (@until == null OR d.timestamp < @until)
          LET score = BM25(d)
          SORT score DESC, d.timestamp DESC
          LIMIT @offset, @limit
          RETURN { doc: d, score: score }
        """;

    /// <summary>Events in insertion order (<c>seq</c>), filtered, resumable after a position.</summary>
    public const string StreamEvents = """
        FOR e IN log_events
          FILTER (@level == null OR e.level == @level)
            AND (@script == null OR e.script_name == @script)
            AND (@execution == null OR e.execution_id == @execution)
            AND (@category == null OR e.log_category == @category)
            AND (@since == null OR e.timestamp >= @since)
            AND (@until == null OR e.timestamp < @until)
            AND (@after == null OR e.seq > @after)
          SORT e.seq
          LIMIT @limit
          RETURN e
        """;

    /// <summary>Like <see cref="StreamEvents"/>, restricted to events whose text matches.</summary>
    public const string StreamEventsMatching = """
        FOR e IN log_events_view
          SEARCH ANALYZER(e.search_text IN TOKENS(@text, "text_en"), "text_en")
          OPTIONS { collections: ["log_events"] }
          FILTER (@level == null OR e.level == @level)
            AND (@script == null OR e.script_name == @script)
            AND (@execution == null OR e.execution_id == @execution)
            AND (@category == null OR e.log_category == @category)
            AND (@since == null OR e.timestamp >= @since)
            AND (@until == null OR e.timestamp < @until)
            AND (@after == null OR e.seq > @after)
          SORT e.seq
          LIMIT @limit
          RETURN e
        """;

    /// <summary>
    /// Runs, newest first, in stored statuses <c>@statuses</c> (null = any). The tie-break is <c>execution_id</c>,
    /// the last field of the (start_time, execution_id) indexes, so an index serves the sort (a <c>_key</c>
    /// tie-break is not an index field and would make the optimizer sort every matching run).
    /// </summary>
    public const string ListRuns = """
        FOR r IN script_runs
          FILTER (@script == null OR r.script_name == @script)
            AND (@statuses == null OR r.status IN @statuses)
            AND (@since == null OR r.start_time >= @since)
          SORT r.start_time DESC, r.execution_id DESC
          LIMIT @offset, @limit
          RETURN r
        """;

    /// <summary>The latest successful run of a script with a final response (index-order tie-break as <see cref="ListRuns"/>).</summary>
    public const string LatestResponse = """
        FOR r IN script_runs
          FILTER r.script_name == @script
            AND r.status == "success" AND r.final_response != null
          SORT r.start_time DESC, r.execution_id DESC
          LIMIT 1
          RETURN r
        """;

    /// <summary>The payload of a run's latest SCRIPT_FINAL_RESPONSE event (the fallback when the run record has no response).</summary>
    public const string FinalResponseEvent = """
        FOR e IN log_events
          FILTER e.execution_id == @execution AND e.log_category == "SCRIPT_FINAL_RESPONSE" AND e.payload != null
          SORT e.timestamp DESC, e._key DESC
          LIMIT 1
          RETURN e.payload
        """;

    /// <summary>Document counts of the store's collections (one request; <c>LENGTH</c> of a collection reads its count).</summary>
    public const string CollectionCounts = """
        RETURN {
          log_events: LENGTH(log_events),
          script_runs: LENGTH(script_runs),
          agent_learnings: LENGTH(agent_learnings),
          log_relations: LENGTH(log_relations)
        }
        """;

    /// <summary>Counts, time span, errors, learnings and progress events of one run.</summary>
    public const string ExecutionSummary = """
        LET counts = (
          FOR e IN log_events FILTER e.execution_id == @execution
            COLLECT level = e.level WITH COUNT INTO n
            RETURN { level: level, n: n })
        LET span = FIRST(
          FOR e IN log_events FILTER e.execution_id == @execution
            COLLECT AGGREGATE firstTs = MIN(e.timestamp), lastTs = MAX(e.timestamp)
            RETURN { first: firstTs, last: lastTs })
        LET errors = (
          FOR e IN log_events
            FILTER e.execution_id == @execution AND e.level IN ["ERROR", "CRITICAL"]
            SORT e.timestamp, e._key LIMIT 100 RETURN e)
        LET learnings = (
          FOR l IN agent_learnings FILTER l.execution_id == @execution
            SORT l.timestamp, l._key RETURN l)
        LET progress = (
          FOR e IN log_events
            FILTER e.execution_id == @execution AND e.log_category == "PROGRESS"
            SORT e.timestamp, e._key RETURN e)
        LET finalEvent = FIRST(
          FOR e IN log_events
            FILTER e.execution_id == @execution AND e.log_category == "SCRIPT_FINAL_RESPONSE" AND e.payload != null
            SORT e.timestamp DESC, e._key DESC LIMIT 1 RETURN e.payload)
        RETURN { counts: counts, span: span, errors: errors, learnings: learnings, progress: progress, finalEvent: finalEvent }
        """;

    /// <summary>The ERROR/CRITICAL events of a run, in (timestamp, key) order, at most <c>@limit</c>.</summary>
    public const string RunErrors = """
        FOR e IN log_events
          FILTER e.execution_id == @execution AND e.level IN ["ERROR", "CRITICAL"]
          SORT e.timestamp, e._key
          LIMIT @limit
          RETURN e
        """;

    /// <summary>
    /// A run's events between two times (null = open), in (timestamp, key) order: one range scan of the
    /// (execution_id, timestamp) index, from which the context of every error is cut in one pass.
    /// </summary>
    public const string RunEventsBetween = """
        FOR e IN log_events
          FILTER e.execution_id == @execution
            AND (@from == null OR e.timestamp >= @from)
            AND (@to == null OR e.timestamp <= @to)
          SORT e.timestamp, e._key
          RETURN e
        """;

    /// <summary>Learnings, newest first.</summary>
    public const string Learnings = """
        FOR l IN agent_learnings
          FILTER (@execution == null OR l.execution_id == @execution)
            AND (@script == null OR l.script_name == @script)
            AND (@function == null OR l.function_name == @function)
            AND (@minConfidence == null OR l.confidence >= @minConfidence)
            AND (@since == null OR l.timestamp >= @since)
          SORT l.timestamp DESC, l.learning_id DESC
          LIMIT @limit
          RETURN l
        """;

    /// <summary>Learnings matching words, best BM25 match first.</summary>
    public const string LearningsMatching = """
        FOR l IN log_events_view
          SEARCH ANALYZER(l.search_text IN TOKENS(@text, "text_en"), "text_en")
          OPTIONS { collections: ["agent_learnings"] }
          FILTER (@execution == null OR l.execution_id == @execution)
            AND (@script == null OR l.script_name == @script)
            AND (@function == null OR l.function_name == @function)
            AND (@minConfidence == null OR l.confidence >= @minConfidence)
            AND (@since == null OR l.timestamp >= @since)
          SORT BM25(l) DESC, l.timestamp DESC, l.learning_id DESC
          LIMIT @limit
          RETURN l
        """;

    /// <summary>Stored relations touching a handle (either end), or all.</summary>
    public const string Relations = """
        FOR r IN log_relations
          FILTER @handle == null OR r._from == @handle OR r._to == @handle
          SORT r.created_at, r._key
          LIMIT 10000
          RETURN r
        """;

    /// <summary>
    /// A run, its events and learnings, and the stored relations with an end among them — one query: the edge index on
    /// <c>_from</c>/<c>_to</c> answers the relation lookups (no graph traversal per start vertex, which on a cluster
    /// costs a coordinator round trip each).
    /// </summary>
    public const string ExecutionGraph = """
        LET run = DOCUMENT("script_runs", @execution)
        LET events = (
          FOR e IN log_events FILTER e.execution_id == @execution
            SORT e.timestamp, e._key LIMIT @maxEvents RETURN e)
        LET learnings = (
          FOR l IN agent_learnings FILTER l.execution_id == @execution
            SORT l.timestamp, l._key RETURN l)
        LET handles = APPEND(APPEND([CONCAT("script_runs/", @execution)], events[*]._id), learnings[*]._id)
        LET stored = UNION_DISTINCT(
          (FOR r IN log_relations FILTER r._from IN handles RETURN r),
          (FOR r IN log_relations FILTER r._to IN handles RETURN r))
        RETURN { run: run, events: events, learnings: learnings, stored: stored }
        """;

    /// <summary>Per-script run figures since a time (running runs listed so their liveness can be checked).</summary>
    public const string PerformanceByScript = """
        FOR r IN script_runs
          FILTER r.start_time >= @since AND (@script == null OR r.script_name == @script)
          COLLECT script = r.script_name INTO g = r
          LET durations = g[* FILTER CURRENT.duration_ms != null AND CURRENT.status != "running" RETURN CURRENT.duration_ms]
          RETURN {
            script: script,
            runs: LENGTH(g),
            success: LENGTH(g[* FILTER CURRENT.status == "success"]),
            failed: LENGTH(g[* FILTER CURRENT.status == "failed"]),
            cancelled: LENGTH(g[* FILTER CURRENT.status == "cancelled"]),
            abandoned: LENGTH(g[* FILTER CURRENT.status == "abandoned"]),
            running: g[* FILTER CURRENT.status == "running" RETURN { pid: CURRENT.pid, host: CURRENT.host, start_time: CURRENT.start_time }],
            p50: LENGTH(durations) > 0 ? PERCENTILE(durations, 50) : null,
            p90: LENGTH(durations) > 0 ? PERCENTILE(durations, 90) : null,
            p99: LENGTH(durations) > 0 ? PERCENTILE(durations, 99) : null,
            max: LENGTH(durations) > 0 ? MAX(durations) : null
          }
        """;

    /// <summary>Runs, failed runs and error events per day since a time.</summary>
    public const string PerformanceTrend = """
        LET runs = (
          FOR r IN script_runs
            FILTER r.start_time >= @since AND (@script == null OR r.script_name == @script)
            COLLECT day = SUBSTRING(r.start_time, 0, 10)
            AGGREGATE total = SUM(1), failed = SUM(r.status == "failed" ? 1 : 0)
            RETURN { day: day, runs: total, failed: failed })
        LET errors = (
          FOR e IN log_events
            FILTER e.timestamp >= @since AND e.level IN ["ERROR", "CRITICAL"]
              AND (@script == null OR e.script_name == @script)
            COLLECT day = SUBSTRING(e.timestamp, 0, 10) WITH COUNT INTO n
            RETURN { day: day, n: n })
        RETURN { runs: runs, errors: errors }
        """;

    /// <summary>
    /// Starts a run. A placeholder (made by a progress/end/response write that arrived first) is filled in, but what
    /// the earlier writes set — end status, times, error, counts, response, progress, score — is kept. A real run
    /// that exists already is left alone (idempotent replay).
    /// </summary>
    public const string StartRun = """
        UPSERT { _key: @key }
          INSERT @doc
          UPDATE (OLD.placeholder != true ? {} : MERGE(
            @doc,
            (OLD.end_time == null ? {} : KEEP(OLD, "status", "end_time", "duration_ms", "error", "messages_logged", "counts_by_level")),
            { final_response: NOT_NULL(OLD.final_response, @doc.final_response),
              progress: NOT_NULL(OLD.progress, @doc.progress),
              quality_score: NOT_NULL(OLD.quality_score, @doc.quality_score),
              placeholder: false }))
          IN script_runs OPTIONS { mergeObjects: false }
        """;

    /// <summary>Sets a run's progress unless a newer one is stored (replays may reorder); makes a placeholder run when it is unknown.</summary>
    public const string UpdateProgress = """
        UPSERT { _key: @key }
          INSERT MERGE(@placeholder, { progress: @progress })
          UPDATE (OLD.progress == null OR OLD.progress.time <= @progress.time) ? { progress: @progress } : {}
          IN script_runs OPTIONS { mergeObjects: false }
        """;

    /// <summary>Sets a run's final response; makes a placeholder run when it is unknown.</summary>
    public const string UpdateFinalResponse = """
        UPSERT { _key: @key }
          INSERT MERGE(@placeholder, { final_response: @response })
          UPDATE { final_response: @response }
          IN script_runs OPTIONS { mergeObjects: false }
        """;

    /// <summary>Ends a run (status, end time, duration, error, counts); makes a placeholder run when it is unknown.</summary>
    public const string EndRun = """
        UPSERT { _key: @key }
          INSERT MERGE(@placeholder, @patch)
          UPDATE MERGE(@patch, { quality_score: NOT_NULL(@patch.quality_score, OLD.quality_score) })
          IN script_runs OPTIONS { mergeObjects: false }
        """;
}
