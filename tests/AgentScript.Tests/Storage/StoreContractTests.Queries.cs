using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Tests.Storage;

public abstract partial class StoreContractTests
{
    // ---- summary ----

    [Fact]
    public async Task Summary_gathers_counts_errors_learnings_progress_and_response()
    {
        var id = Data.NewExecutionId();
        var t = Data.T0;
        await WriteAsync(
            new RunStartWrite(Data.Run(id)),
            new EventWrite(Data.Event(id, "hello", t.AddSeconds(1))),
            new EventWrite(Data.Event(id, "loading", t.AddSeconds(2), category: LogCategories.Progress) with { ExtraJson = """{"Stage":"load","Percent":50}""" }),
            new EventWrite(Data.Event(id, "it broke", t.AddSeconds(3), LogLevels.Error)),
            new EventWrite(Data.Event(id, "really broke", t.AddSeconds(4), LogLevels.Critical)),
            new EventWrite(Data.Event(id, "careful", t.AddSeconds(5), LogLevels.Warning)),
            new LearningWrite(Data.Learning(id, "the API needs a key")),
            new FinalResponseWrite(id, """{"r":1}"""),
            // The run's own counts match what it logged, as a real run's do (a store may report these for an ended run).
            new RunEndWrite(Data.End(id, RunStatus.Failed) with
            {
                MessagesLogged = 5,
                CountsByLevel = new Dictionary<string, long> { ["INFO"] = 2, ["ERROR"] = 1, ["CRITICAL"] = 1, ["WARNING"] = 1 },
            }));
        var s = await Store.GetExecutionSummaryAsync(id, Ct);
        Assert.NotNull(s);
        Assert.Equal(RunStatus.Failed, s.Run.Status);
        Assert.Equal(5, s.EventCount);
        Assert.Equal(2, s.CountsByLevel["INFO"]);
        Assert.Equal(1, s.CountsByLevel["ERROR"]);
        Assert.Equal(1, s.CountsByLevel["CRITICAL"]);
        Assert.Equal(["it broke", "really broke"], s.Errors.Select(e => e.Message));
        Assert.Equal("the API needs a key", Assert.Single(s.Learnings).Learning);
        var p = Assert.Single(s.Progress);
        Assert.Equal("load", p.Stage);
        Assert.Equal(50, p.Percent);
        Assert.Equal("""{"r":1}""", s.FinalResponseJson);
        Assert.Equal(t.AddSeconds(1), s.FirstEvent);
        Assert.Equal(t.AddSeconds(5), s.LastEvent);
        Assert.Null(await Store.GetExecutionSummaryAsync("missing_20200101_000000_00000000", Ct));
    }

    // ---- errors with context ----

    private async Task<string> RunWithTwoErrorsAsync()
    {
        var id = Data.NewExecutionId();
        var t = Data.T0;
        await WriteAsync(
            new RunStartWrite(Data.Run(id)),
            new EventWrite(Data.Event(id, "e0", t)),
            new EventWrite(Data.Event(id, "e1", t.AddSeconds(10))),
            new EventWrite(Data.Event(id, "e2", t.AddSeconds(12))),
            new EventWrite(Data.Event(id, "err1", t.AddSeconds(14), LogLevels.Error)),
            new EventWrite(Data.Event(id, "e4", t.AddSeconds(15))),
            new EventWrite(Data.Event(id, "e5", t.AddSeconds(30))),
            new EventWrite(Data.Event(id, "err2", t.AddSeconds(31), LogLevels.Critical)),
            new EventWrite(Data.Event(Data.NewExecutionId(), "other run", t.AddSeconds(31))));
        return id;
    }

    [Fact]
    public async Task Errors_with_context_by_time_window()
    {
        var id = await RunWithTwoErrorsAsync();
        var errors = await Store.GetErrorsAsync(id, ContextWindow.Around(TimeSpan.FromSeconds(5)), Ct);
        Assert.Equal(["err1", "err2"], errors.Select(e => e.Error.Message));
        Assert.Equal(["e1", "e2"], errors[0].Before.Select(e => e.Message));
        Assert.Equal(["e4"], errors[0].After.Select(e => e.Message));
        Assert.Equal(["e5"], errors[1].Before.Select(e => e.Message));
        Assert.Empty(errors[1].After);
    }

    [Fact]
    public async Task Errors_with_context_by_event_count()
    {
        var id = await RunWithTwoErrorsAsync();
        var errors = await Store.GetErrorsAsync(id, ContextWindow.EventCount(2), Ct);
        Assert.Equal(2, errors.Count);
        Assert.Equal(["e1", "e2"], errors[0].Before.Select(e => e.Message));
        Assert.Equal(["e4", "e5"], errors[0].After.Select(e => e.Message));
        Assert.Equal(["e4", "e5"], errors[1].Before.Select(e => e.Message));
        Assert.Empty(errors[1].After);
        Assert.Empty(await Store.GetErrorsAsync(Data.NewExecutionId(), ContextWindow.Default, Ct));
    }

    // ---- learnings ----

    [Fact]
    public async Task Learnings_filter_by_confidence_function_text_and_time()
    {
        var id = Data.NewExecutionId();
        await WriteAsync(
            new LearningWrite(Data.Learning(id, "use exponential backoff for the weather API", 0.9, Data.T0)),
            new LearningWrite(Data.Learning(id, "the weather API returns celsius", 0.4, Data.T0.AddSeconds(1))),
            new LearningWrite(Data.Learning(id, "cache tokens between runs", 0.7, Data.T0.AddSeconds(2)) with { FunctionName = "Auth" }));

        var all = await Store.GetLearningsAsync(new LearningQuery { ScriptName = Data.Script }, Ct);
        Assert.Equal(["cache tokens between runs", "the weather API returns celsius", "use exponential backoff for the weather API"], all.Select(l => l.Learning));
        var confident = await Store.GetLearningsAsync(new LearningQuery { ScriptName = Data.Script, MinConfidence = 0.7 }, Ct);
        Assert.Equal(2, confident.Count);
        Assert.All(confident, l => Assert.True(l.Confidence >= 0.7));
        Assert.Equal("cache tokens between runs", Assert.Single(await Store.GetLearningsAsync(new LearningQuery { ScriptName = Data.Script, FunctionName = "Auth" }, Ct)).Learning);
        var text = await Store.GetLearningsAsync(new LearningQuery { ScriptName = Data.Script, Text = "weather backoff" }, Ct);
        Assert.Equal(["use exponential backoff for the weather API", "the weather API returns celsius"], text.Select(l => l.Learning));
        Assert.Single(await Store.GetLearningsAsync(new LearningQuery { ScriptName = Data.Script, Since = Data.T0.AddSeconds(2) }, Ct));
        Assert.Single(await Store.GetLearningsAsync(new LearningQuery { ScriptName = Data.Script, Limit = 1 }, Ct));
        var stored = all[^1];
        Assert.Equal("Fetch", stored.FunctionName);
        Assert.Equal("tried twice", stored.Context);
        Assert.Equal(id, stored.ExecutionId);
        Assert.Equal(0.9, stored.Confidence);
    }

    // ---- prune ----

    [Fact]
    public async Task Prune_by_execution_id_removes_everything_of_the_run_and_keeps_search_in_step()
    {
        var (gone, w1) = Data.CompleteRun("""{"x":"gone"}""");
        var (kept, w2) = Data.CompleteRun("""{"x":"kept"}""");
        var learning = Data.Learning(gone, "pruned learning wombat");
        await Store.WriteAsync([.. w1, .. w2, new LearningWrite(learning), new RelationWrite(Relation("script_runs/" + gone, "script_runs/" + kept))], Ct);
        Assert.Equal(2, (await Store.SearchAsync(new SearchQuery { Text = "hard", ScriptName = Data.Script }, Ct)).Count);

        var dry = await Store.PruneAsync(new PruneRequest { ExecutionIds = [gone], IncludeLearnings = true, DryRun = true }, Ct);
        Assert.Equal(new PruneResult(3, 1, 1, 1, true), dry);
        Assert.Equal(new PruneResult(3, 1, 0, 1, true), await Store.PruneAsync(new PruneRequest { ExecutionIds = [gone], DryRun = true }, Ct));
        Assert.Equal(2, (await Store.SearchAsync(new SearchQuery { Text = "hard", ScriptName = Data.Script }, Ct)).Count);
        Assert.NotNull(await Store.GetRunAsync(gone, Ct));

        var done = await Store.PruneAsync(new PruneRequest { ExecutionIds = [gone], IncludeLearnings = true }, Ct);
        Assert.Equal(new PruneResult(3, 1, 1, 1, false), done);
        var hits = await Store.SearchAsync(new SearchQuery { Text = "hard", ScriptName = Data.Script }, Ct);
        Assert.Equal(kept, Assert.Single(hits).Event.ExecutionId);
        Assert.Null(await Store.GetRunAsync(gone, Ct));
        Assert.NotNull(await Store.GetRunAsync(kept, Ct));
        Assert.Empty(await Store.GetLearningsAsync(new LearningQuery { Text = "wombat", ScriptName = Data.Script }, Ct));
        Assert.Empty(await Store.GetRelationsAsync("script_runs/" + kept, Ct));
        // New events after a prune are still indexed and found.
        await WriteAsync(new EventWrite(Data.Event(kept, "working hard again")));
        Assert.Equal(2, (await Store.SearchAsync(new SearchQuery { Text = "hard", ScriptName = Data.Script }, Ct)).Count);
    }

    [Fact]
    public async Task Prune_keeps_learnings_unless_asked_to_delete_them()
    {
        var (gone, w1) = Data.CompleteRun("""{"x":"gone"}""");
        var learning = Data.Learning(gone, "kept learning platypus");
        await Store.WriteAsync([.. w1, new LearningWrite(learning)], Ct);

        var done = await Store.PruneAsync(new PruneRequest { ExecutionIds = [gone] }, Ct);
        Assert.Equal(0, done.Learnings);
        Assert.Null(await Store.GetRunAsync(gone, Ct));
        var kept = Assert.Single(await Store.GetLearningsAsync(new LearningQuery { Text = "platypus", ScriptName = Data.Script }, Ct));
        Assert.Equal(learning.LearningId, kept.LearningId);
    }

    [Fact]
    public async Task Prune_by_age_and_category()
    {
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        var (oldRun, w1) = Data.CompleteRun("{}", old);
        var (newRun, w2) = Data.CompleteRun("{}", DateTimeOffset.UtcNow.AddMinutes(-5));
        await Store.WriteAsync([.. w1, .. w2], Ct);

        var byCategory = await Store.PruneAsync(new PruneRequest { Category = LogCategories.FinalResponse, ExecutionIds = [oldRun, newRun] }, Ct);
        Assert.Equal(new PruneResult(2, 0, 0, 0, false), byCategory);
        Assert.Empty(await Store.SearchAsync(new SearchQuery { Text = "final response", ScriptName = Data.Script, Category = LogCategories.FinalResponse }, Ct));
        Assert.NotNull(await Store.GetRunAsync(oldRun, Ct));

        var byAge = await Store.PruneAsync(new PruneRequest { OlderThan = TimeSpan.FromDays(30), ExecutionIds = [oldRun, newRun] }, Ct);
        Assert.Equal(2, byAge.Events);
        Assert.Equal(1, byAge.Runs);
        Assert.Null(await Store.GetRunAsync(oldRun, Ct));
        Assert.NotNull(await Store.GetRunAsync(newRun, Ct));
        Assert.All(await Store.SearchAsync(new SearchQuery { Text = "working starting", ScriptName = Data.Script }, Ct), h => Assert.Equal(newRun, h.Event.ExecutionId));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PruneAsync(new PruneRequest(), Ct));
    }

    // ---- relations and graph ----

    private LogRelation Relation(string from, string to, string type = RelationTypes.CausedBy) => new()
    {
        RelationId = EventIds.New(), From = from, To = to, Type = type,
        Rationale = "The second thing happened because of the first one, as the log lines show clearly.",
        Confidence = 0.75, CreatedBy = "test", CreatedAt = Data.T0, ValidFrom = Data.T0, ValidTo = Data.T0.AddDays(1),
    };

    [Fact]
    public async Task Relations_are_stored_and_found_from_either_end()
    {
        var a = "log_events/" + EventIds.New();
        var b = "log_events/" + EventIds.New();
        var r = Relation(a, b);
        await WriteAsync(new RelationWrite(r));
        Assert.Equal(r, Assert.Single(await Store.GetRelationsAsync(a, Ct)));
        Assert.Equal(r, Assert.Single(await Store.GetRelationsAsync(b, Ct)));
        Assert.Contains(await Store.GetRelationsAsync(null, Ct), x => x.RelationId == r.RelationId);
        Assert.Empty(await Store.GetRelationsAsync("log_events/" + EventIds.New(), Ct));
    }

    [Fact]
    public async Task Execution_graph_links_events_fixes_and_stored_relations()
    {
        var id = Data.NewExecutionId();
        var e1 = Data.Event(id, "start", Data.T0.AddSeconds(1));
        var err = Data.Event(id, "connection failed", Data.T0.AddSeconds(2), LogLevels.Error);
        var e3 = Data.Event(id, "retrying", Data.T0.AddSeconds(3));
        var fix = Data.Event(id, "Fixed: connected on retry", Data.T0.AddSeconds(4));
        var learning = Data.Learning(id, "retry once");
        var stored = Relation("log_events/" + err.EventId, "agent_learnings/" + learning.LearningId, RelationTypes.ResolvedBy);
        await WriteAsync(new RunStartWrite(Data.Run(id)), new EventWrite(e1), new EventWrite(err), new EventWrite(e3), new EventWrite(fix), new LearningWrite(learning), new RelationWrite(stored));

        var g = await Store.GetExecutionGraphAsync(id, Ct);
        Assert.NotNull(g);
        Assert.Contains(g.Nodes, n => n.Id == "script_runs/" + id && n.Kind == "run");
        Assert.Equal(4, g.Nodes.Count(n => n.Kind == "event"));
        Assert.Contains(g.Nodes, n => n.Id == "agent_learnings/" + learning.LearningId);
        var follows = g.Edges.Where(e => e.Type == RelationTypes.FollowedBy).Select(e => (e.From, e.To)).ToList();
        Assert.Equal(
            [("log_events/" + e1.EventId, "log_events/" + err.EventId), ("log_events/" + err.EventId, "log_events/" + e3.EventId), ("log_events/" + e3.EventId, "log_events/" + fix.EventId)],
            follows);
        var fixedBy = Assert.Single(g.Edges, e => e.Type == RelationTypes.FixedBy);
        Assert.Equal(("log_events/" + err.EventId, "log_events/" + fix.EventId), (fixedBy.From, fixedBy.To));
        var storedEdge = Assert.Single(g.Edges, e => e.Stored);
        Assert.Equal(RelationTypes.ResolvedBy, storedEdge.Type);
        Assert.Equal(0.75, storedEdge.Confidence);
        Assert.Null(await Store.GetExecutionGraphAsync("missing_20200101_000000_00000000", Ct));
    }

    // ---- performance ----

    [Fact]
    public async Task Performance_figures_on_known_data()
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var writes = new List<StoreWrite>();
        // Yesterday: 4 successes of 100..400 ms and 1 failure of 1000 ms; today: 1 cancelled (50 ms).
        for (var i = 1; i <= 4; i++)
        {
            writes.AddRange(Data.CompleteRun("{}", today.AddDays(-1).AddHours(i), RunStatus.Success, i * 100).Writes);
        }
        var (failedRun, failedWrites) = Data.CompleteRun("{}", today.AddDays(-1).AddHours(6), RunStatus.Failed, 1000);
        writes.AddRange(failedWrites);
        writes.Add(new EventWrite(Data.Event(failedRun, "bad", today.AddDays(-1).AddHours(6).AddMilliseconds(5), LogLevels.Error)));
        writes.AddRange(Data.CompleteRun("{}", today.AddMinutes(1), RunStatus.Cancelled, 50).Writes);
        // Outside the window: 10 days ago.
        writes.AddRange(Data.CompleteRun("{}", today.AddDays(-10), RunStatus.Failed, 99999).Writes);
        await Store.WriteAsync(writes, Ct);

        var report = await Store.GetPerformanceAsync(Data.Script, 7, Ct);
        var p = Assert.Single(report.Scripts);
        Assert.Equal(Data.Script, p.ScriptName);
        Assert.Equal(6, p.Runs);
        Assert.Equal(4, p.Succeeded);
        Assert.Equal(1, p.Failed);
        Assert.Equal(1, p.Cancelled);
        Assert.Equal(4.0 / 6, p.SuccessRate, 6);
        // Durations 50 100 200 300 400 1000: nearest rank p50 = 3rd = 200, p90 = 6th = 1000.
        Assert.Equal(200, p.P50Ms);
        Assert.Equal(1000, p.P90Ms);
        Assert.Equal(1000, p.P99Ms);
        Assert.Equal(1000, p.MaxMs);
        Assert.Equal(7, report.Trend.Count);
        Assert.Equal(DateOnly.FromDateTime(today.UtcDateTime), report.Trend[^1].Day);
        var yesterday = report.Trend[^2];
        Assert.Equal(5, yesterday.Runs);
        Assert.Equal(1, yesterday.FailedRuns);
        Assert.Equal(1, yesterday.Errors);
        Assert.Equal(1, report.Trend[^1].Runs);
        Assert.Equal(0, report.Trend[^1].FailedRuns);
    }

    // ---- raw native queries ----

    [Fact]
    public async Task Native_query_binds_named_parameters()
    {
        var (id, writes) = Data.CompleteRun("{}");
        await Store.WriteAsync(writes, Ct);
        var result = await Store.QueryAsync(NativeSelectMessagesOfRun, new Dictionary<string, object?> { ["id"] = id }, cancellationToken: Ct);
        Assert.Equal(["starting work", "working hard", "final response"], result.Rows.Select(r => r[0]));
        var none = await Store.QueryAsync(NativeSelectMessagesOfRun, new Dictionary<string, object?> { ["id"] = "x' OR '1'='1" }, cancellationToken: Ct);
        Assert.Empty(none.Rows);
    }

    [Fact]
    public async Task Native_query_is_read_only_unless_writes_are_allowed()
    {
        var (id, writes) = Data.CompleteRun("{}");
        await Store.WriteAsync(writes, Ct);
        var refused = await Assert.ThrowsAsync<StoreQueryException>(() => Store.QueryAsync(NativeWrite, cancellationToken: Ct));
        Assert.Contains("read-only", refused.Message);
        Assert.Equal(3, (await Store.QueryAsync(NativeSelectMessagesOfRun, new Dictionary<string, object?> { ["id"] = id }, cancellationToken: Ct)).Rows.Count);
    }

    [Fact]
    public async Task Malformed_native_query_reports_the_store_message()
    {
        var e = await Assert.ThrowsAsync<StoreQueryException>(() => Store.QueryAsync(NativeMalformed, cancellationToken: Ct));
        Assert.Contains("syntax", e.Message, StringComparison.OrdinalIgnoreCase);
        // The store is still usable afterwards.
        await WriteAsync(new EventWrite(Data.Event(null, "still fine")));
    }
}
