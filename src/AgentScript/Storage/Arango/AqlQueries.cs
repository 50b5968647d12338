namespace AgentScript.Storage.Arango;

/// <summary>
/// Every AQL text the ArangoDB store runs, in one place. User values travel only as bind variables
/// (<c>@name</c>); nothing is ever formatted into these texts (a test checks it). Collection and view names are
/// fixed here because AQL cannot bind view names. Filters that may be absent are written
/// <c>(@x == null OR field == @x)</c> so one text serves every combination.
/// </summary>
internal static class AqlQueries
{
    /// <summary>
    /// Events ranked by BM25 over <c>search_text</c> (any word matches; more matching words rank higher, as FTS5
    /// bm25 does on SQLite), filters, paging. <c>waitForSync</c> makes the view commit pending writes first, so a
    /// search right after a write finds it — searches are interactive and rare, so the wait is worth it.
    /// </summary>
    public const string SearchEvents = """
        FOR d IN log_events_view
          SEARCH ANALYZER(d.search_text IN TOKENS(@text, "text_en"), "text_en")
          OPTIONS { collections: ["log_events"], waitForSync: true }
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
          OPTIONS { collections: ["log_events"], waitForSync: true }
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

    /// <summary>Runs, newest first.</summary>
    public const string ListRuns = """
        FOR r IN script_runs
          FILTER (@script == null OR r.script_name == @script)
            AND (@status == null OR r.status == @status)
            AND (@since == null OR r.start_time >= @since)
          SORT r.start_time DESC, r._key DESC
          LIMIT @offset, @limit
          RETURN r
        """;

    /// <summary>The latest successful run (of a script, or of any) with a final response.</summary>
    public const string LatestResponse = """
        FOR r IN script_runs
          FILTER (@script == null OR r.script_name == @script)
            AND r.status == "success" AND r.final_response != null
          SORT r.start_time DESC, r._key DESC
          LIMIT 1
          RETURN r
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
        RETURN { counts: counts, span: span, errors: errors, learnings: learnings, progress: progress }
        """;

    /// <summary>
    /// Each ERROR/CRITICAL event of a run with up to <c>@n</c> events on each side, within <c>@seconds</c> of it
    /// when that is given (the time window and the event window share one text).
    /// </summary>
    public const string ErrorsWithContext = """
        FOR err IN log_events
          FILTER err.execution_id == @execution AND err.level IN ["ERROR", "CRITICAL"]
          SORT err.timestamp, err._key
          LET before = REVERSE(
            FOR x IN log_events
              FILTER x.execution_id == @execution
                AND (x.timestamp < err.timestamp OR (x.timestamp == err.timestamp AND x._key < err._key))
                AND (@seconds == null OR x.ts_unix >= err.ts_unix - @seconds)
              SORT x.timestamp DESC, x._key DESC
              LIMIT @n
              RETURN x)
          LET after = (
            FOR x IN log_events
              FILTER x.execution_id == @execution
                AND (x.timestamp > err.timestamp OR (x.timestamp == err.timestamp AND x._key > err._key))
                AND (@seconds == null OR x.ts_unix <= err.ts_unix + @seconds)
              SORT x.timestamp, x._key
              LIMIT @n
              RETURN x)
          RETURN { error: err, before: before, after: after }
        """;

    /// <summary>Learnings, newest first.</summary>
    public const string Learnings = """
        FOR l IN agent_learnings
          FILTER (@execution == null OR l.execution_id == @execution)
            AND (@script == null OR l.script_name == @script)
            AND (@function == null OR l.function_name == @function)
            AND (@minConfidence == null OR l.confidence >= @minConfidence)
            AND (@since == null OR l.timestamp >= @since)
          SORT l.timestamp DESC, l._key DESC
          LIMIT @limit
          RETURN l
        """;

    /// <summary>Learnings matching words, best BM25 match first.</summary>
    public const string LearningsMatching = """
        FOR l IN log_events_view
          SEARCH ANALYZER(l.search_text IN TOKENS(@text, "text_en"), "text_en")
          OPTIONS { collections: ["agent_learnings"], waitForSync: true }
          FILTER (@execution == null OR l.execution_id == @execution)
            AND (@script == null OR l.script_name == @script)
            AND (@function == null OR l.function_name == @function)
            AND (@minConfidence == null OR l.confidence >= @minConfidence)
            AND (@since == null OR l.timestamp >= @since)
          SORT BM25(l) DESC, l.timestamp DESC
          LIMIT @limit
          RETURN l
        """;

    /// <summary>Keys of the runs a prune selects (none when it is limited to a category of events).</summary>
    public const string PruneRunKeys = """
        FOR r IN script_runs
          FILTER @pruneRuns
            AND (@cutoff == null OR r.start_time < @cutoff)
            AND (@ids == null OR r._key IN @ids)
          RETURN r._key
        """;

    private const string EventPredicate = """
        (@cutoff == null OR e.timestamp < @cutoff)
            AND (@category == null OR e.log_category == @category)
            AND (@ids == null OR e.execution_id IN @ids)
        """;

    /// <summary>Counts the events a prune selects.</summary>
    public const string PruneEventsCount = "FOR e IN log_events\n  FILTER " + EventPredicate + "\n  COLLECT WITH COUNT INTO n\n  RETURN n";

    /// <summary>Removes the events a prune selects (count from <c>writesExecuted</c>).</summary>
    public const string PruneEventsRemove = "FOR e IN log_events\n  FILTER " + EventPredicate + "\n  REMOVE e IN log_events";

    private const string RelationPredicate = """
        LENGTH(
            FOR h IN [r._from, r._to]
              LET parts = PARSE_IDENTIFIER(h)
              LET e = DOCUMENT(h)
              FILTER (parts.collection == "log_events" AND e != null AND (
                        (@cutoff == null OR e.timestamp < @cutoff)
                        AND (@category == null OR e.log_category == @category)
                        AND (@ids == null OR e.execution_id IN @ids)))
                  OR (parts.collection == "script_runs" AND parts.key IN @runKeys)
                  OR (parts.collection == "agent_learnings" AND e != null AND e.execution_id IN @learningRunKeys)
              LIMIT 1
              RETURN 1) > 0
        """;

    /// <summary>Counts the relations with an end the prune removes.</summary>
    public const string PruneRelationsCount = "FOR r IN log_relations\n  FILTER " + RelationPredicate + "\n  COLLECT WITH COUNT INTO n\n  RETURN n";

    /// <summary>Removes the relations with an end the prune removes (run before the ends are removed).</summary>
    public const string PruneRelationsRemove = "FOR r IN log_relations\n  FILTER " + RelationPredicate + "\n  REMOVE r IN log_relations";

    /// <summary>Counts the learnings of pruned runs.</summary>
    public const string PruneLearningsCount = "FOR l IN agent_learnings FILTER l.execution_id IN @runKeys COLLECT WITH COUNT INTO n RETURN n";

    /// <summary>Removes the learnings of pruned runs.</summary>
    public const string PruneLearningsRemove = "FOR l IN agent_learnings FILTER l.execution_id IN @runKeys REMOVE l IN agent_learnings";

    /// <summary>Removes the pruned runs.</summary>
    public const string PruneRunsRemove = "FOR r IN script_runs FILTER r._key IN @runKeys REMOVE r IN script_runs";

    /// <summary>Stored relations touching a handle (either end), or all.</summary>
    public const string Relations = """
        FOR r IN log_relations
          FILTER @handle == null OR r._from == @handle OR r._to == @handle
          SORT r.created_at, r._key
          LIMIT 10000
          RETURN r
        """;

    /// <summary>A run's events and learnings, and the stored relations around them by a one-step traversal of the named graph.</summary>
    public const string ExecutionGraph = """
        LET events = (
          FOR e IN log_events FILTER e.execution_id == @execution
            SORT e.timestamp, e._key LIMIT @maxEvents RETURN e)
        LET learnings = (FOR l IN agent_learnings FILTER l.execution_id == @execution SORT l.timestamp RETURN l)
        LET starts = APPEND(APPEND([CONCAT("script_runs/", @execution)], events[*]._id), learnings[*]._id)
        LET stored = (
          FOR s IN starts
            FOR v, e IN 1..1 ANY s GRAPH "log_relationships"
              RETURN DISTINCT e)
        LET others = (
          FOR e IN stored
            FOR h IN [e._from, e._to]
              FILTER h NOT IN starts
              RETURN DISTINCT h)
        RETURN {
          events: events,
          learnings: learnings,
          stored: stored,
          others: (FOR h IN others RETURN { id: h, doc: DOCUMENT(h) })
        }
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
