using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IAgentLogStore"/> must have. Each store's test class derives from this and
/// supplies <see cref="CreateStoreAsync"/>; tests use unique script names so a shared server store works too.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private IAgentLogStore? _store;
    private readonly StoreTestData _data = new();

    /// <summary>A new, not yet initialised store.</summary>
    protected abstract Task<IAgentLogStore> CreateStoreAsync();

    /// <summary>A native query returning the <c>message</c> of events whose execution id equals parameter <c>id</c>, ordered by time.</summary>
    protected abstract string NativeSelectMessagesOfRun { get; }
    /// <summary>A native query that writes (deletes all events).</summary>
    protected abstract string NativeWrite { get; }
    /// <summary>A native query with a syntax error.</summary>
    protected abstract string NativeMalformed { get; }

    protected IAgentLogStore Store => _store ?? throw new InvalidOperationException("Store not created.");
    internal StoreTestData Data => _data;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync(Ct);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    protected Task<WriteOutcome> WriteAsync(params StoreWrite[] writes) => Store.WriteAsync(writes, Ct);

    private async Task<List<LogEventRecord>> EventsOfRun(string executionId)
    {
        var list = new List<LogEventRecord>();
        await foreach (var e in Store.StreamEventsAsync(new EventFilter { ExecutionId = executionId }, Ct))
        {
            list.Add(e.Event);
        }
        return list;
    }

    // ---- initialise and write ----

    [Fact]
    public async Task Initialize_twice_keeps_schema_and_data()
    {
        var (id, writes) = Data.CompleteRun("""{"answer":42}""");
        await Store.WriteAsync(writes, Ct);
        var again = await Store.InitializeAsync(Ct);
        Assert.False(again.Created);
        Assert.True(again.SchemaVersion >= 1);
        Assert.True(again.Counts["log_events"] >= 3);
        Assert.NotNull(await Store.GetRunAsync(id, Ct));
        Assert.Equal(3, (await EventsOfRun(id)).Count);
    }

    [Fact]
    public async Task Writing_a_batch_twice_stores_it_once()
    {
        var (id, writes) = Data.CompleteRun("""{"n":1}""");
        writes.Add(new LearningWrite(Data.Learning(id, "retry the flaky endpoint")));
        writes.Add(new RelationWrite(new LogRelation
        {
            RelationId = EventIds.New(), From = "script_runs/" + id, To = "script_runs/" + id, Type = RelationTypes.RelatedTo,
            Rationale = "same run twice for the idempotency test of relations in the store contract", CreatedAt = Data.T0,
        }));
        writes.Add(new ProgressWrite(id, new RunProgress("load", 50, Data.T0.AddMilliseconds(2))));
        Assert.Empty((await Store.WriteAsync(writes, Ct)).Rejected);
        Assert.Empty((await Store.WriteAsync(writes, Ct)).Rejected);

        Assert.Equal(3, (await EventsOfRun(id)).Count);
        Assert.Single(await Store.GetLearningsAsync(new LearningQuery { ExecutionId = id }, Ct));
        Assert.Single(await Store.GetRelationsAsync("script_runs/" + id, Ct));
        Assert.Single(await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script }, Ct));
        // Search finds each event once (the FTS index did not get a second copy).
        var hits = await Store.SearchAsync(new SearchQuery { Text = "hard", ExecutionId = id }, Ct);
        Assert.Single(hits);
    }

    [Fact]
    public async Task Run_lifecycle_is_stored()
    {
        var id = Data.NewExecutionId();
        await WriteAsync(new RunStartWrite(Data.Run(id)));
        var started = await Store.GetRunAsync(id, Ct);
        Assert.NotNull(started);
        Assert.Equal(RunStatus.Running, started.Status);
        Assert.Equal(Data.Script, started.ScriptName);
        Assert.Equal("working", started.Mode);
        Assert.Equal(Environment.ProcessId, started.Pid);
        Assert.Equal(Data.T0, started.StartTime);

        await WriteAsync(
            new ProgressWrite(id, new RunProgress("download", 40, Data.T0.AddSeconds(1), """{"files":3}""")),
            new FinalResponseWrite(id, """{"ok":true}"""),
            new RunEndWrite(Data.End(id, RunStatus.Failed) with { QualityScore = 0.5 }));
        var run = await Store.GetRunAsync(id, Ct);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(1000, run.DurationMs);
        Assert.Equal(Data.T0.AddSeconds(1), run.EndTime);
        Assert.Equal("boom", run.Error?.Message);
        Assert.Equal("""{"ok":true}""", run.FinalResponseJson);
        Assert.Equal(3, run.MessagesLogged);
        Assert.Equal(3, run.CountsByLevel["INFO"]);
        Assert.Equal("download", run.Progress?.Stage);
        Assert.Equal(40, run.Progress?.Percent);
        Assert.Contains("files", run.Progress?.MetadataJson);
        Assert.Equal(0.5, run.QualityScore);
        Assert.Contains("args", run.MetadataJson);
    }

    [Fact]
    public async Task Writes_for_a_run_not_started_yet_are_kept()
    {
        var id = Data.NewExecutionId();
        await WriteAsync(
            new ProgressWrite(id, new RunProgress("late", 90, Data.T0.AddSeconds(1))),
            new RunEndWrite(Data.End(id, RunStatus.Success)),
            new FinalResponseWrite(id, """{"v":1}"""));
        var placeholder = await Store.GetRunAsync(id, Ct);
        Assert.NotNull(placeholder);
        Assert.Equal(RunStatus.Success, placeholder.Status);
        Assert.Equal(Data.Script, placeholder.ScriptName);

        await WriteAsync(new RunStartWrite(Data.Run(id)));
        var run = await Store.GetRunAsync(id, Ct);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Success, run.Status);   // the end is not undone by the late start
        Assert.Equal("working", run.Mode);             // the start filled in the placeholder
        Assert.Equal("late", run.Progress?.Stage);
        Assert.Equal("""{"v":1}""", run.FinalResponseJson);
        Assert.Equal(1000, run.DurationMs);
    }

    [Fact]
    public async Task Events_round_trip_every_field()
    {
        var id = Data.NewExecutionId();
        var e = Data.Event(id, "full event", Data.T0.AddTicks(12345)) with
        {
            FunctionName = "Fetch", FilePath = "/src/x.cs", LineNumber = 42, Source = "Http", Tags = ["a", "b"],
            SpanId = "s1", ParentSpanId = "s0", CorrelationId = "c1", ExtraJson = """{"k":"v"}""",
            Exception = new ExceptionInfo("System.IO.IOException", "disk gone", "at X.Y()"), ThreadId = 7,
            Level = LogLevels.Error, Category = LogLevels.Error,
        };
        await WriteAsync(new RunStartWrite(Data.Run(id)), new EventWrite(e));
        var stored = Assert.Single(await EventsOfRun(id));
        Assert.Equal(e with { Tags = null }, stored with { Tags = null });
        Assert.Equal(["a", "b"], stored.Tags!);
    }

    [Fact]
    public async Task A_refused_write_is_reported_and_the_rest_of_the_batch_is_stored()
    {
        var id = Data.NewExecutionId();
        var bad = new LearningWrite(Data.Learning(id, "confidence out of range", confidence: 1.5));
        var outcome = await WriteAsync(
            new RunStartWrite(Data.Run(id)),
            new EventWrite(Data.Event(id, "before the bad one")),
            bad,
            new EventWrite(Data.Event(id, "after the bad one")),
            new EventWrite(Data.Event(id, "no id") with { EventId = "" }));
        Assert.Equal(2, outcome.Rejected.Count);
        Assert.Same(bad, outcome.Rejected[0].Write);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Rejected[0].Reason));
        Assert.Contains("event_id", outcome.Rejected[1].Reason);
        Assert.Equal(2, (await EventsOfRun(id)).Count);
        Assert.Single(await Store.SearchAsync(new SearchQuery { Text = "after", ExecutionId = id }, Ct));
        Assert.Empty(await Store.GetLearningsAsync(new LearningQuery { ExecutionId = id }, Ct));
    }

    // ---- search ----

    [Fact]
    public async Task Search_ranks_a_row_matching_more_terms_first()
    {
        var id = Data.NewExecutionId();
        var writes = new List<StoreWrite> { new RunStartWrite(Data.Run(id)) };
        for (var i = 0; i < 20; i++)
        {
            writes.Add(new EventWrite(Data.Event(id, $"filler line number {i} about nothing")));
        }
        writes.Add(new EventWrite(Data.Event(id, "database connection timeout")));
        writes.Add(new EventWrite(Data.Event(id, "database connection refused")));
        writes.Add(new EventWrite(Data.Event(id, "connection pool warmed")));
        await Store.WriteAsync(writes, Ct);

        var hits = await Store.SearchAsync(new SearchQuery { Text = "database connection timeout", ExecutionId = id }, Ct);
        Assert.Equal(3, hits.Count);
        Assert.Equal("database connection timeout", hits[0].Event.Message);
        Assert.Equal("database connection refused", hits[1].Event.Message);
        Assert.Equal("connection pool warmed", hits[2].Event.Message);
        Assert.True(hits[0].Score > hits[1].Score && hits[1].Score > hits[2].Score);
        Assert.All(hits, h => Assert.True(h.Score > 0));
    }

    [Fact]
    public async Task Search_covers_exception_text_and_payload_and_applies_filters()
    {
        var id = Data.NewExecutionId();
        var other = Data.NewExecutionId();
        await WriteAsync(
            new RunStartWrite(Data.Run(id)),
            new RunStartWrite(Data.Run(other)),
            new EventWrite(Data.Event(id, "request failed", Data.T0.AddSeconds(1), LogLevels.Error) with { Exception = new ExceptionInfo("System.TimeoutException", "upstream zanzibar slow") }),
            new EventWrite(Data.Event(id, "done", Data.T0.AddSeconds(2), category: LogCategories.FinalResponse) with { PayloadJson = """{"city":"zanzibar"}""" }),
            new EventWrite(Data.Event(other, "zanzibar elsewhere", Data.T0.AddSeconds(3), LogLevels.Warning)));

        Assert.Equal(3, (await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script }, Ct)).Count);
        Assert.Equal("request failed", Assert.Single(await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script, Level = "error" }, Ct)).Event.Message);
        Assert.Equal("done", Assert.Single(await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script, Category = LogCategories.FinalResponse }, Ct)).Event.Message);
        Assert.Equal("zanzibar elsewhere", Assert.Single(await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ExecutionId = other }, Ct)).Event.Message);
        Assert.Equal(2, (await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script, Since = Data.T0.AddSeconds(2) }, Ct)).Count);
        Assert.Equal("request failed", Assert.Single(await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script, Until = Data.T0.AddSeconds(2) }, Ct)).Event.Message);
        Assert.Empty(await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ExecutionId = "nobody_20200101_000000_00000000" }, Ct));

        var page1 = await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script, Limit = 2 }, Ct);
        var page2 = await Store.SearchAsync(new SearchQuery { Text = "zanzibar", ScriptName = Data.Script, Limit = 2, Offset = 2 }, Ct);
        Assert.Equal(2, page1.Count);
        Assert.Single(page2);
        Assert.DoesNotContain(page2[0].Event.EventId, page1.Select(h => h.Event.EventId));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(alpha beta")]
    [InlineData("alp*")]
    [InlineData("*")]
    [InlineData("\"")]
    [InlineData("alpha OR")]
    [InlineData("-alpha")]
    [InlineData("alpha AND NOT beta")]
    [InlineData("message:alpha")]
    [InlineData("^alpha {x} [y] (z)")]
    public async Task Search_text_is_taken_literally(string text)
    {
        var id = Data.NewExecutionId();
        await WriteAsync(new RunStartWrite(Data.Run(id)), new EventWrite(Data.Event(id, "alpha beta gamma")), new EventWrite(Data.Event(id, "near or and not")));
        var hits = await Store.SearchAsync(new SearchQuery { Text = text, ExecutionId = id }, Ct);
        // Words of the text match as words; operators have no effect (e.g. "-alpha" still finds alpha).
        var words = text.Split(' ').Select(w => w.Trim('"', '(', ')', '*', '-', '^', '{', '}', '[', ']'));
        if (words.Any(w => w is "alpha" or "beta"))
        {
            Assert.Contains(hits, h => h.Event.Message == "alpha beta gamma");
        }
        if (text is "*" or "\"")
        {
            Assert.Empty(hits);
        }
    }

    [Fact]
    public async Task Search_rejects_empty_text()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SearchAsync(new SearchQuery { Text = "  " }, Ct));
    }

    [Fact]
    public async Task Stream_returns_events_in_order_with_filters_and_positions()
    {
        var id = Data.NewExecutionId();
        await WriteAsync(
            new RunStartWrite(Data.Run(id)),
            new EventWrite(Data.Event(id, "one", Data.T0.AddSeconds(1))),
            new EventWrite(Data.Event(id, "two", Data.T0.AddSeconds(2), LogLevels.Warning)),
            new EventWrite(Data.Event(id, "three quokka", Data.T0.AddSeconds(3))));
        var all = new List<StreamedEvent>();
        await foreach (var e in Store.StreamEventsAsync(new EventFilter { ExecutionId = id }, Ct))
        {
            all.Add(e);
        }
        Assert.Equal(["one", "two", "three quokka"], all.Select(e => e.Event.Message));
        Assert.True(all[0].Position < all[1].Position && all[1].Position < all[2].Position);

        var after = new List<string>();
        await foreach (var e in Store.StreamEventsAsync(new EventFilter { ExecutionId = id, AfterPosition = all[0].Position, Limit = 1 }, Ct))
        {
            after.Add(e.Event.Message);
        }
        Assert.Equal(["two"], after);

        var filtered = new List<string>();
        await foreach (var e in Store.StreamEventsAsync(new EventFilter { ScriptName = Data.Script, Level = "warning" }, Ct))
        {
            filtered.Add(e.Event.Message);
        }
        Assert.Equal(["two"], filtered);
        var text = new List<string>();
        await foreach (var e in Store.StreamEventsAsync(new EventFilter { ScriptName = Data.Script, Text = "quokka" }, Ct))
        {
            text.Add(e.Event.Message);
        }
        Assert.Equal(["three quokka"], text);
    }

    // ---- runs ----

    [Fact]
    public async Task List_runs_newest_first_with_filters_and_paging()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (id, writes) = Data.CompleteRun("{}", Data.T0.AddMinutes(i), i == 2 ? RunStatus.Failed : RunStatus.Success);
            ids.Add(id);
            await Store.WriteAsync(writes, Ct);
        }
        var runs = await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script }, Ct);
        Assert.Equal(ids.AsEnumerable().Reverse(), runs.Select(r => r.ExecutionId));
        Assert.Equal([ids[2]], (await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script, Status = RunStatus.Failed }, Ct)).Select(r => r.ExecutionId));
        Assert.Equal([ids[2], ids[1]], (await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script, Limit = 2, Offset = 1 }, Ct)).Select(r => r.ExecutionId));
        Assert.Equal(2, (await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script, Since = Data.T0.AddMinutes(2) }, Ct)).Count);
        Assert.Null(await Store.GetRunAsync("missing_20200101_000000_00000000", Ct));
    }

    [Fact]
    public async Task A_running_run_whose_process_is_gone_is_reported_abandoned()
    {
        var deadPid = await DeadPidAsync();
        var dead = Data.NewExecutionId();
        var alive = Data.NewExecutionId();
        await WriteAsync(new RunStartWrite(Data.Run(dead, pid: deadPid)), new RunStartWrite(Data.Run(alive)));

        Assert.Equal(RunStatus.Abandoned, (await Store.GetRunAsync(dead, Ct))?.Status);
        Assert.Equal(RunStatus.Running, (await Store.GetRunAsync(alive, Ct))?.Status);
        Assert.Equal([dead], (await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script, Status = RunStatus.Abandoned }, Ct)).Select(r => r.ExecutionId));
        Assert.Equal([alive], (await Store.ListRunsAsync(new RunQuery { ScriptName = Data.Script, Status = RunStatus.Running }, Ct)).Select(r => r.ExecutionId));
        Assert.Equal(RunStatus.Abandoned, (await Store.GetExecutionSummaryAsync(dead, Ct))?.Run.Status);
    }

    /// <summary>The pid of a process that has exited (and whose pid is not in use again).</summary>
    private static async Task<int> DeadPidAsync()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var p = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "true") { UseShellExecute = false, Arguments = OperatingSystem.IsWindows() ? "/c exit 0" : "" })!;
            var pid = p.Id;
            await p.WaitForExitAsync(Ct);
            try
            {
                using var again = Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                return pid;
            }
        }
        throw new InvalidOperationException("Could not find a dead pid.");
    }

    // ---- latest response ----

    [Fact]
    public async Task Latest_response_follows_the_rules()
    {
        Assert.Null(await Store.GetLatestResponseAsync(Data.Script, null, Ct));

        var (older, w1) = Data.CompleteRun("""{"v":"older"}""", Data.T0);
        var (newest, w2) = Data.CompleteRun("""{"v":"newest"}""", Data.T0.AddMinutes(1));
        var (failed, w3) = Data.CompleteRun("""{"v":"failed"}""", Data.T0.AddMinutes(2), RunStatus.Failed);
        var noResponse = Data.NewExecutionId(Data.T0.AddMinutes(3));
        await Store.WriteAsync([.. w1, .. w2, .. w3, new RunStartWrite(Data.Run(noResponse, Data.T0.AddMinutes(3))), new RunEndWrite(Data.End(noResponse, RunStatus.Success, Data.T0.AddMinutes(3)))], Ct);

        var latest = await Store.GetLatestResponseAsync(Data.Script, null, Ct);
        Assert.NotNull(latest);
        Assert.Equal(newest, latest.ExecutionId);
        Assert.Equal("""{"v":"newest"}""", latest.ResponseJson);
        Assert.Equal(RunStatus.Success, latest.Status);
        Assert.Equal("working", latest.Mode);

        var byId = await Store.GetLatestResponseAsync(null, failed, Ct);
        Assert.Equal("""{"v":"failed"}""", byId?.ResponseJson);
        Assert.Equal(RunStatus.Failed, byId?.Status);
        Assert.Equal("""{"v":"older"}""", (await Store.GetLatestResponseAsync(Data.Script, older, Ct))?.ResponseJson);
        Assert.Null(await Store.GetLatestResponseAsync(null, noResponse, Ct));
        Assert.Null(await Store.GetLatestResponseAsync(null, "missing_20200101_000000_00000000", Ct));
    }
}
