using System.Text;

namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>
/// The "missed targets" part of the doc: for each target family that was missed in the stored results, what the
/// profile in that section shows and what would close the gap. Written only for targets that were actually missed.
/// </summary>
public static class GapAnalysis
{
    public static string Write(IReadOnlyList<SectionResult?> results)
    {
        var missed = results.Where(r => r is not null).SelectMany(r => r!.Checks.Where(c => c.Met == false).Select(c => (r!.Section, c))).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("## Missed targets: what explains them, what would close them");
        sb.AppendLine();
        if (missed.Count == 0)
        {
            sb.AppendLine("No target was missed in the stored results.");
            return sb.ToString();
        }
        sb.AppendLine("Every figure here was taken on a 2-core machine shared with several concurrent builds (see the load averages");
        sb.AppendLine("above: far above 2 means most figures are inflated several times). Ratios measured in the same run are the");
        sb.AppendLine("reliable part; absolute figures should be re-measured on a quiet machine. The targets stay as the issue states them.");
        sb.AppendLine();
        var sections = missed.Select(m => m.Section).Distinct().ToHashSet();
        if (sections.Contains("logcall"))
        {
            sb.AppendLine("**Log call.** The *profile* row shows that mapping the Serilog event to a `LogEventRecord` on the caller's thread");
            sb.AppendLine("(`LogEventMapper.Map`: rendering, property JSON, id, sanitising) alone costs more bytes than Serilog's whole event.");
            sb.AppendLine("In a tight loop the 20,000-write queue is full most of the time, and `StoreWritePipeline.Enqueue` then appends each");
            sb.AppendLine("write to the durable buffer *on the caller's thread* (JSON + file append) — the counters note shows how many were");
            sb.AppendLine("spilled; Serilog's async sink drops them instead. To close: (1) have `AgentStoreSink.Emit` enqueue the Serilog");
            sb.AppendLine("`LogEvent` itself (its property values are captured and immutable) and map it on the writer thread — caller cost");
            sb.AppendLine("becomes one small queue item; (2) when the queue is full, hand the write to a bounded overflow list that the writer");
            sb.AppendLine("spills to the buffer in bulk, instead of one synchronous file append per call; (3) make the store faster (below), so");
            sb.AppendLine("the queue rarely fills.");
            sb.AppendLine();
        }
        if (sections.Contains("ingest"))
        {
            sb.AppendLine("**Ingest.** The store alone (profile table in section 2) bounds the end-to-end rate: the sink cannot ingest faster");
            sb.AppendLine("than `WriteAsync` commits. Two costs on top: the pipeline writes batches of `LOG_BATCH_SIZE` (200) even when");
            sb.AppendLine("thousands are queued (the probe shows larger transactions are faster: fewer commits, fewer FTS5 segments to merge),");
            sb.AppendLine("and once the queue overflows, events take the durable-buffer path (serialise, append, read back, replay in batches");
            sb.AppendLine("of 200) — the agentstore line's counters show how many. To close: (1) after `BatchSize` is reached take whatever is");
            sb.AppendLine("already queued, up to a few thousand writes, into the same transaction (and replay the buffer in equally large");
            sb.AppendLine("batches); (2) per row the store maintains the rowid table, a UNIQUE index on `event_id`, three secondary indexes");
            sb.AppendLine("and the FTS5 rows — each index should earn its write cost (e.g. whether `ix_log_events_time` is needed next to");
            sb.AppendLine("`ix_log_events_level_time`); (3) larger FTS5");
            sb.AppendLine("`automerge`/`crisismerge` settings trade index compaction for ingest speed, with an `optimize` when idle.");
            sb.AppendLine();
        }
        if (sections.Contains("search"))
        {
            sb.AppendLine("**Search.** Rare terms meet the targets; medium and common terms do not, because `ORDER BY rank` computes bm25");
            sb.AppendLine("for *every* row that matches and sorts them, and the query joins the words with OR, so a 3-term query over common");
            sb.AppendLine("words ranks a large part of the store. To close: (1) time-bounded search, newest first — query the FTS index in");
            sb.AppendLine("rowid windows from the newest events (`rowid > $floor`, FTS5 applies rowid bounds inside the index scan) and widen");
            sb.AppendLine("the window only until `limit` hits are found; bm25's IDF stays global, so scores remain comparable; (2) AND the");
            sb.AppendLine("words first (fall back to OR only when AND finds fewer than `limit`), which shrinks the candidate set multiplicatively;");
            sb.AppendLine("(3) the execution summary counts levels with `GROUP BY level` and filters errors and progress by `level` /");
            sb.AppendLine("`log_category` over the `(execution_id, timestamp)` index, so each of those queries fetches every row of the run");
            sb.AppendLine("from the table; a covering index `(execution_id, level, timestamp)` answers the counts and the error list from the");
            sb.AppendLine("index alone (and an ended run already carries `counts_by_level` in `script_runs`); (4) errors-with-context reads");
            sb.AppendLine("each window with a row-value comparison `(timestamp, id) < ($t, $eid)` — check with `EXPLAIN QUERY PLAN` that it is");
            sb.AppendLine("a range on the index; the form `timestamp BETWEEN $bound AND $t` (then tie-break on id) certainly is.");
            sb.AppendLine();
        }
        if (sections.Contains("startup"))
        {
            sb.AppendLine("**Start-up.** The strace profile in section 4 shows the extra time spread over loading and JIT-compiling");
            sb.AppendLine("AgentScript, Serilog, Microsoft.Data.Sqlite, System.Text.Json and the native SQLite library, the store's schema");
            sb.AppendLine("check, OpenSSL (loaded only because `ExecutionIds.Create` uses `RandomNumberGenerator`) and the final status file.");
            sb.AppendLine("To close: (1) ship AgentScript ReadyToRun-compiled (crossgen at pack time) so its code is not JIT-compiled at every");
            sb.AppendLine("start — a ReadyToRun publish of the no-op script was about 25 % faster here in a quick trial; (2) take the 4 random");
            sb.AppendLine("bytes of the execution id from `Guid.NewGuid()` (urandom) instead of `RandomNumberGenerator` to avoid loading");
            sb.AppendLine("OpenSSL; (3) skip the schema check when `PRAGMA user_version` is current (one read instead of the create script),");
            sb.AppendLine("and write the buffer status file only when the buffer is not empty.");
            sb.AppendLine();
        }
        if (sections.Contains("generator"))
        {
            sb.AppendLine("**Generator.** The `[Traced]` step uses `CreateSyntaxProvider` over *every* invocation and calls");
            sb.AppendLine("`SemanticModel.GetSymbolInfo` on each, which binds every call in the project a second time — the likely bulk of the");
            sb.AppendLine("generator's time on the 200-file project (Roslyn reports time per generator, not per step). To close: collect the simple names of `[Traced]` methods with `ForAttributeWithMetadataName`");
            sb.AppendLine("(an equatable set of strings), make the invocation step syntax-only (invoked simple name + location), and bind only");
            sb.AppendLine("the candidates whose name is in the set — usually none. Analyzer time (telemetry column) should be checked the same");
            sb.AppendLine("way: register syntax-node actions filtered by name before asking the semantic model.");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
