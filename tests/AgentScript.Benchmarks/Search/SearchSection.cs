using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentScript.Benchmarks.Corpus;
using AgentScript.Benchmarks.Infrastructure;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Benchmarks.Search;

/// <summary>
/// Section 3: a realistic corpus written straight through <see cref="IAgentLogStore.WriteAsync"/>, then BM25 top-10 per
/// term band, latest response, the summary of a large run and errors with context, each timed many times.
/// </summary>
public static class SearchSection
{
    private sealed record Band(string Name, long Min, long Max, string Rule);

    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var checks = new List<Check>();
        if (!StoreFactory.Available)
        {
            checks.Add(new Check("Search p50/p99 per band", "SQLite store not built yet", "p50 ≤ 10 ms, p99 ≤ 50 ms", null));
            return SectionResult.Create("search", Titles.For("search"), ctx, "The SQLite store is not part of this build yet.\n", checks);
        }

        var total = ctx.Quick ? 100_000 : 1_000_000;
        var largeRun = ctx.Quick ? 10_000 : 100_000;
        var queriesPerBand = ctx.Quick ? 60 : 300;
        var cached = CorpusCache.Enabled;
        var dir = cached ? CorpusCache.FolderFor(total, largeRun) : RunContext.NewTempDir("search");
        try
        {
            var dbPath = CorpusCache.DbPath(dir);
            var info = cached ? CorpusCache.TryLoad(dir) : null;
            var reused = info is not null;
            if (info is null)
            {
                if (cached)
                {
                    // An incomplete folder (a build stopped half-way) is rebuilt from scratch.
                    RunContext.TryDelete(dir);
                    Directory.CreateDirectory(dir);
                }
                await using var builder = StoreFactory.OpenSqlite(dbPath);
                await builder.InitializeAsync();
                info = await BuildCorpusAsync(builder, total, largeRun);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                info.StoreBytes = Directory.GetFiles(dir).Where(f => f.Contains("agentlog.db", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
                if (cached)
                {
                    CorpusCache.Save(dir, info);
                }
            }
            else
            {
                Console.WriteLine($"  corpus: reusing {dir} (built {info.BuiltAt:yyyy-MM-dd HH:mm} UTC; AGENTSCRIPT_BENCH_NO_CACHE=1 rebuilds)");
            }
            await using var store = StoreFactory.OpenSqlite(dbPath);
            await store.InitializeAsync();
            var terms = new TermStats(info.Documents, info.DocumentFrequency, info.Sample);
            var written = info.Written;
            var large = info.LargeRun;
            // Queries are drawn from their own seeded generator, so a reused corpus gets the same queries as a fresh one.
            var rng = new Random(CorpusGenerator.DefaultSeed + 2);

            // ---- term bands -------------------------------------------------------------------------------
            var n = terms.Documents;
            var bands = new[]
            {
                new Band("rare", 2, Math.Max(2, n / 10_000), $"in 2 – {Math.Max(2, n / 10_000):N0} events (≤ 0.01 %)"),
                new Band("medium", n / 1_000, n / 100, $"in {n / 1_000:N0} – {n / 100:N0} events (0.1 – 1 %)"),
                new Band("common", n / 20, n, $"in ≥ {n / 20:N0} events (≥ 5 %)"),
            };

            if (Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_PROBE_PLANS") == "1")
            {
                SearchProbe.Plans(dbPath, info.ErrorsRun);
                SearchProbe.Plans(dbPath, info.LargeRun);
                return SectionResult.Create("search", Titles.For("search"), ctx, "probe only\n", checks);
            }
            if (Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_PROBE_COMPARE") == "1")
            {
                await SearchProbe.CompareAsync(store, dbPath, terms, rng, [.. bands.Select(b => (b.Name, b.Min, b.Max))]);
                return SectionResult.Create("search", Titles.For("search"), ctx, "probe only\n", checks);
            }
            if (SearchProbe.Enabled)
            {
                SearchProbe.Run(dbPath, terms, rng, [.. bands.Select(b => (b.Name, b.Min, b.Max))]);
                return SectionResult.Create("search", Titles.For("search"), ctx, "probe only\n", checks);
            }

            // Warm the page cache and the statement cache as a running store would be.
            foreach (var q in terms.DrawQueries(rng, bands[1].Min, bands[1].Max, 20))
            {
                await store.SearchAsync(new SearchQuery { Text = string.Join(' ', q), Limit = 10 });
            }

            var sb = new StringBuilder();
            sb.AppendLine($"Corpus: {written:N0} events in {info.Runs:N0} runs of {info.Scripts} scripts over 30 days, {info.Templates:N0} distinct");
            sb.AppendLine("message templates (frame × subject × verb, Zipf-distributed), values from pools of very different sizes (10 models,");
            sb.AppendLine("400 hosts, 2,000 users, 30,000 pseudo-words, 200,000 ids, generated paths and URLs), ~3 % ERROR/CRITICAL events with");
            sb.AppendLine($"exception type, message and a 3–8 frame stack trace; deterministic seed {CorpusGenerator.DefaultSeed}. {terms.DistinctTerms:N0} distinct terms.");
            sb.AppendLine($"Written straight through `SqliteLogStore.WriteAsync` in batches of 5,000 writes: {info.WriteSeconds:0.0} s in the store");
            sb.AppendLine($"({written / info.WriteSeconds:N0} events/s), store size {Stats.Mb(info.StoreBytes)}" +
                (reused ? $"; the store was built {info.BuiltAt:yyyy-MM-dd HH:mm} UTC and reused from `artifacts/search-corpus/` (same seed, size and schema)." : "."));
            sb.AppendLine();
            sb.AppendLine($"**BM25 top-10** (`SearchAsync`, limit 10), up to {queriesPerBand} queries per band (time budget {(ctx.Quick ? 20 : 90)} s per band, at least 30) of 1–3 terms taken from one sampled event");
            sb.AppendLine("(so they co-occur), band by document frequency of each term in message + exception text:");
            sb.AppendLine();
            sb.AppendLine("| Band | Rule | Terms in band | Queries | p50 | p99 | max | mean hits | Target |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            var quality = new StringBuilder();
            var qualityChecks = new List<Check>();
            foreach (var band in bands)
            {
                var queries = terms.DrawQueries(rng, band.Min, band.Max, queriesPerBand);
                var times = new List<double>(queries.Count);
                long hits = 0, exact = 0;
                // Time budget per band so a slow band cannot hold the suite for long; at least 30 queries are timed.
                var budget = Stopwatch.StartNew();
                var timed = 0;
                foreach (var q in queries)
                {
                    if (timed >= 30 && budget.Elapsed > TimeSpan.FromSeconds(ctx.Quick ? 20 : 90))
                    {
                        break;
                    }
                    timed++;
                    var sw = Stopwatch.StartNew();
                    var result = await store.SearchAsync(new SearchQuery { Text = string.Join(' ', q), Limit = 10 });
                    sw.Stop();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    hits += result.Count;
                    exact += result is SearchResults { Exhaustive: true } ? 1 : 0;
                }
                var compared = await CompareWithExhaustiveAsync(store, band.Name, queries.Take(Math.Min(timed, ctx.Quick ? 15 : 30)).ToList(), timed == 0 ? 0 : (double)exact / timed);
                quality.AppendLine(compared.Row);
                // The quality target holds when the default hits are as good as the exhaustive top 10, or when the exhaustive
                // search itself is fast enough to be the default.
                qualityChecks.Add(new Check($"Search quality, {band.Name} terms: default hits as good as the exhaustive top 10",
                    $"{compared.AsGood:P0} (exhaustive p99 {Stats.Ms(compared.ExhaustiveP99)})", "≥ 90 %, or exhaustive p99 ≤ 10 ms",
                    compared.Compared == 0 ? null : compared.AsGood >= 0.9 || compared.ExhaustiveP99 <= 10));
                var p50 = Stats.Percentile(times, 50);
                var p99 = Stats.Percentile(times, 99);
                sb.AppendLine($"| {band.Name} | {band.Rule} | {terms.CountInBand(band.Min, band.Max):N0} | {timed} | {Stats.Ms(p50)} | {Stats.Ms(p99)} | {Stats.Ms(times.DefaultIfEmpty(double.NaN).Max())} | {(timed == 0 ? 0 : (double)hits / timed):0.0} | p50 ≤ 10 ms, p99 ≤ 50 ms |");
                checks.Add(new Check($"Search p50, {band.Name} terms", Stats.Ms(p50), "≤ 10 ms", p50 <= 10));
                checks.Add(new Check($"Search p99, {band.Name} terms", Stats.Ms(p99), "≤ 50 ms", p99 <= 50));
                Console.WriteLine($"  search {band.Name}: p50 {Stats.Ms(p50)} p99 {Stats.Ms(p99)}");
            }
            sb.AppendLine();
            sb.AppendLine("**Hit quality of the default (newest-matches) ranking.** Unless a query asks for `Exhaustive`, the SQLite store ranks");
            sb.AppendLine("only the newest `SearchCandidates` matches (docs/architecture.md, \"Search at scale\"). Per band: the share of timed queries");
            sb.AppendLine("whose words matched so few events that the ranking was exact anyway; then, for the first queries of the band, the same");
            sb.AppendLine("query ranked exhaustively: overlap of the top-10 event ids, and the share of default hits that score at least as high as");
            sb.AppendLine("the exhaustive 10th hit (bm25 gives many events the same score, so equally good hits may differ by id), and the time of");
            sb.AppendLine("the exhaustive search.");
            sb.AppendLine();
            sb.AppendLine("| Band | Ranked exactly | Compared | Same ids in top-10 | Hits as good as exhaustive top-10 | Exhaustive p50 | Exhaustive p99 |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            sb.Append(quality);
            sb.AppendLine();
            checks.AddRange(qualityChecks);

            // ---- latest response, summary, errors -----------------------------------------------------------
            var topScript = info.TopScript;
            var latest = await TimeAsync(ctx.Quick ? 100 : 500, () => store.GetLatestResponseAsync(topScript));
            // The timed calls must do the real work: the latest response exists, the summary covers the whole run.
            var latestValue = await store.GetLatestResponseAsync(topScript);
            var summary = await TimeAsync(ctx.Quick ? 5 : 20, () => store.GetExecutionSummaryAsync(large!));
            var errorsTimes = await TimeAsync(ctx.Quick ? 20 : 100, () => store.GetErrorsAsync(info.ErrorsRun, ContextWindow.Default));
            var largeErrors = await TimeAsync(ctx.Quick ? 2 : 5, () => store.GetErrorsAsync(large!, ContextWindow.EventCount(5)));

            // What the errors calls return: their cost grows with the events they hand back.
            static long ContextEvents(IReadOnlyList<ErrorWithContext> errors) => errors.Sum(e => 1L + e.Before.Count + e.After.Count);
            var errorsSize = ContextEvents(await store.GetErrorsAsync(info.ErrorsRun, ContextWindow.Default));
            var largeErrorsSize = ContextEvents(await store.GetErrorsAsync(large!, ContextWindow.EventCount(5)));
            sb.AppendLine("| Query | Calls | p50 | p99 | Target |");
            sb.AppendLine("|---|---:|---:|---:|---|");
            sb.AppendLine($"| Latest response (`GetLatestResponseAsync`, script with {info.TopScriptRuns} runs) | {latest.Count} | {Stats.Ms(Stats.Percentile(latest, 50))} | {Stats.Ms(Stats.Percentile(latest, 99))} | ≤ 1 ms |");
            sb.AppendLine($"| Execution summary of the {largeRun:N0}-event run | {summary.Count} | {Stats.Ms(Stats.Percentile(summary, 50))} | {Stats.Ms(Stats.Percentile(summary, 99))} | ≤ 50 ms |");
            sb.AppendLine($"| Errors with context (±5 s), a {info.ErrorsRunEvents:N0}-event run (returns {errorsSize:N0} events) | {errorsTimes.Count} | {Stats.Ms(Stats.Percentile(errorsTimes, 50))} | {Stats.Ms(Stats.Percentile(errorsTimes, 99))} | (no target) |");
            sb.AppendLine($"| Errors with context (±5 events), the {largeRun:N0}-event run (returns {largeErrorsSize:N0} events) | {largeErrors.Count} | {Stats.Ms(Stats.Percentile(largeErrors, 50))} | {Stats.Ms(Stats.Percentile(largeErrors, 99))} | (no target) |");
            sb.AppendLine();
            var latestP50 = Stats.Percentile(latest, 50);
            var summaryP50 = Stats.Percentile(summary, 50);
            checks.Add(new Check("Latest response (p50)", Stats.Ms(latestP50), "≤ 1 ms", latest.Count == 0 ? null : latestP50 <= 1));
            checks.Add(new Check($"Summary of a {largeRun:N0}-event run (p50)", summary.Count == 0 ? "not implemented in the store yet" : Stats.Ms(summaryP50), "≤ 50 ms", summary.Count == 0 ? null : summaryP50 <= 50));
            if (summary.Count == 0 || errorsTimes.Count == 0)
            {
                sb.AppendLine("n/a = the store does not implement that query in this build yet.");
                sb.AppendLine();
            }
            sb.AppendLine($"Checks on the timed calls: latest response found: {(latestValue is null ? "**no**" : "yes (" + latestValue.ExecutionId + ")")}.");
            sb.AppendLine();
            sb.AppendLine($"Corpus generation (not timed above) took {info.GenerateSeconds:0.0} s.");
            return SectionResult.Create("search", Titles.For("search"), ctx, sb.ToString(), checks);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!cached)
            {
                RunContext.TryDelete(dir);
            }
        }
    }

    /// <summary>Writes the corpus through <see cref="IAgentLogStore.WriteAsync"/> and gathers what the timings need.</summary>
    private static async Task<CorpusInfo> BuildCorpusAsync(IAgentLogStore store, int total, int largeRun)
    {
        var corpus = new CorpusGenerator();
        var now = DateTimeOffset.UtcNow;
        var runs = corpus.PlanRuns(total, largeRun, now);
        var terms = new TermStats();
        var rng = new Random(CorpusGenerator.DefaultSeed + 1);
        var batch = new List<StoreWrite>(5_000);
        var writeTime = new Stopwatch();
        var genTime = Stopwatch.StartNew();
        long written = 0;
        string? large = null;
        CorpusRun? typicalWithErrors = null;
        var host = Environment.MachineName;
        async Task FlushAsync()
        {
            genTime.Stop();
            writeTime.Start();
            var outcome = await store.WriteAsync(batch);
            writeTime.Stop();
            genTime.Start();
            if (outcome.Rejected.Count > 0)
            {
                throw new InvalidOperationException($"The store rejected {outcome.Rejected.Count} writes: {outcome.Rejected[0].Reason}");
            }
            batch.Clear();
        }

        foreach (var run in runs)
        {
            if (run.Events == largeRun)
            {
                large ??= run.ExecutionId;
            }
            batch.Add(new RunStartWrite(new ScriptRun
            {
                ExecutionId = run.ExecutionId, ScriptName = run.ScriptName, Mode = "working", Status = RunStatus.Running,
                StartTime = run.Start, Pid = 4242, Host = host,
            }));
            var counts = new Dictionary<string, long>();
            var errors = 0;
            var last = run.Start;
            foreach (var e in corpus.EventsOf(run))
            {
                counts[e.Level] = counts.GetValueOrDefault(e.Level) + 1;
                errors += e.Level is LogLevels.Error or LogLevels.Critical ? 1 : 0;
                last = e.Timestamp;
                batch.Add(new EventWrite(ToRecord(e, host)));
                terms.Add(e.Exception is null ? e.Message : e.Message + " " + e.Exception.Message, keepSample: rng.Next(50) == 0);
                written++;
                if (batch.Count >= 5_000)
                {
                    await FlushAsync();
                }
            }
            if (typicalWithErrors is null && run.Events is >= 300 and <= 1_500 && errors >= 3)
            {
                typicalWithErrors = run;
            }
            if (!run.Failed)
            {
                batch.Add(new FinalResponseWrite(run.ExecutionId, JsonSerializer.Serialize(new { ok = true, items = counts.Values.Sum(), script = run.ScriptName })));
            }
            batch.Add(new RunEndWrite(new RunEnd
            {
                ExecutionId = run.ExecutionId, Status = run.Failed ? RunStatus.Failed : RunStatus.Success, EndTime = last,
                DurationMs = (last - run.Start).TotalMilliseconds, MessagesLogged = run.Events, CountsByLevel = counts,
                Error = run.Failed ? new ExceptionInfo("System.InvalidOperationException", "Run failed") : null,
            }));
        }
        if (batch.Count > 0)
        {
            await FlushAsync();
        }
        genTime.Stop();
        Console.WriteLine($"  corpus: {written:N0} events, {runs.Count:N0} runs, write {writeTime.Elapsed.TotalSeconds:0.0} s");
        var errorsRun = typicalWithErrors ?? runs[0];
        var top = runs.GroupBy(r => r.ScriptName).MaxBy(g => g.Count())!;
        return new CorpusInfo
        {
            Written = written, Runs = runs.Count, Scripts = corpus.ScriptNames.Count, Templates = corpus.TemplateCount,
            WriteSeconds = writeTime.Elapsed.TotalSeconds, GenerateSeconds = genTime.Elapsed.TotalSeconds,
            LargeRun = large!, ErrorsRun = errorsRun.ExecutionId, ErrorsRunEvents = errorsRun.Events,
            TopScript = top.Key, TopScriptRuns = top.Count(), BuiltAt = now,
            Documents = terms.Documents, DocumentFrequency = new Dictionary<string, int>(terms.DocumentFrequency), Sample = terms.Sample,
        };
    }

    /// <summary>One row of the hit-quality table: the default ranking against the exhaustive one for the same queries.</summary>
    private sealed record Comparison(string Row, int Compared, double AsGood, double ExhaustiveP99);

    private static async Task<Comparison> CompareWithExhaustiveAsync(IAgentLogStore store, string band, List<string[]> queries, double exactShare)
    {
        double sameIds = 0, asGood = 0;
        var times = new List<double>();
        foreach (var q in queries)
        {
            var text = string.Join(' ', q);
            var windowed = await store.SearchAsync(new SearchQuery { Text = text, Limit = 10 });
            var sw = Stopwatch.StartNew();
            var full = await store.SearchAsync(new SearchQuery { Text = text, Limit = 10, Exhaustive = true });
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (full.Count == 0)
            {
                continue;
            }
            var ids = full.Select(h => h.Event.EventId).ToHashSet(StringComparer.Ordinal);
            var tenth = full[^1].Score;
            sameIds += (double)windowed.Count(h => ids.Contains(h.Event.EventId)) / full.Count;
            // A relative tolerance: the same bm25 value may differ in the last bits between two evaluations.
            asGood += (double)windowed.Take(full.Count).Count(h => h.Score >= tenth - Math.Abs(tenth) * 1e-9) / full.Count;
        }
        var n = Math.Max(1, queries.Count);
        Console.WriteLine($"  quality {band}: same ids {sameIds / n:P0}, as good {asGood / n:P0}, exhaustive p50 {Stats.Ms(Stats.Percentile(times, 50))}");
        return new Comparison($"| {band} | {exactShare:P0} | {queries.Count} | {sameIds / n:P0} | {asGood / n:P0} | {Stats.Ms(Stats.Percentile(times, 50))} | {Stats.Ms(Stats.Percentile(times, 99))} |",
            queries.Count, asGood / n, Stats.Percentile(times, 99));
    }

    private static async Task<List<double>> TimeAsync<T>(int calls, Func<Task<T>> call)
    {
        try
        {
            await call(); // warm-up
        }
        catch (NotImplementedException)
        {
            return []; // reported as n/a: the store does not implement this query yet
        }
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var sw = Stopwatch.StartNew();
            await call();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static LogEventRecord ToRecord(CorpusEvent e, string host)
    {
        var extra = new StringBuilder("{");
        for (var i = 0; i < e.PropertyNames.Length; i++)
        {
            if (i > 0)
            {
                extra.Append(',');
            }
            extra.Append(JsonSerializer.Serialize(e.PropertyNames[i])).Append(':').Append(JsonSerializer.Serialize(e.Values[i]));
        }
        extra.Append('}');
        return new LogEventRecord
        {
            EventId = EventIds.New(),
            Timestamp = e.Timestamp,
            Level = e.Level,
            Message = e.Message,
            MessageTemplate = e.Template,
            ExecutionId = e.ExecutionId,
            ScriptName = e.ScriptName,
            Category = e.Level,
            Source = "Agents." + e.ScriptName,
            ExtraJson = extra.ToString(),
            Exception = e.Exception,
            Host = host,
            Pid = 4242,
            ThreadId = 1,
        };
    }
}
