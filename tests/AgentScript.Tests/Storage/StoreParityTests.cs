using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Arango;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Arango;

namespace AgentScript.Tests.Storage;

/// <summary>
/// Both stores on the same data give the same answers: bad arguments, run paging with liveness, the execution-graph
/// rules, and the fallbacks for progress and final responses. SQLite is a real file; the ArangoDB side is a hand-made
/// server (<see cref="ArangoFake"/>) that answers each store query by its text from documents this test gives it, the
/// documents being what the store itself would have written (<see cref="ArangoDocuments"/>). The full contract suite
/// runs against a live ArangoDB too (<see cref="ArangoStoreContractTests"/>, scripts/arango-live-tests.sh).
/// </summary>
public sealed class StoreParityTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly StoreTestData _data = new("parity");
    private SqliteLogStore _sqlite = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sqlite = new SqliteLogStore(Path.Combine(_dir.Path, "parity.db"));
        await _sqlite.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        _dir.Dispose();
    }

    private static ArangoLogStore Arango(ReplayHandler handler) =>
        new(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([]));

    public static TheoryData<string> BadCalls() =>
    [
        "search-empty", "search-limit-0", "search-limit-1001", "search-offset-negative", "runs-limit-0", "runs-offset-negative",
        "learnings-limit-0", "prune-no-criterion", "prune-negative-age", "latest-nothing", "performance-0-days", "summary-empty-id",
        "graph-empty-id", "errors-empty-id",
    ];

    private static Task Call(IAgentLogStore s, string name) => name switch
    {
        "search-empty" => s.SearchAsync(new SearchQuery { Text = "  " }, Ct),
        "search-limit-0" => s.SearchAsync(new SearchQuery { Text = "x", Limit = 0 }, Ct),
        "search-limit-1001" => s.SearchAsync(new SearchQuery { Text = "x", Limit = 1001 }, Ct),
        "search-offset-negative" => s.SearchAsync(new SearchQuery { Text = "x", Offset = -1 }, Ct),
        "runs-limit-0" => s.ListRunsAsync(new RunQuery { Limit = 0 }, Ct),
        "runs-offset-negative" => s.ListRunsAsync(new RunQuery { Offset = -1 }, Ct),
        "learnings-limit-0" => s.GetLearningsAsync(new LearningQuery { Limit = 0 }, Ct),
        "prune-no-criterion" => s.PruneAsync(new PruneRequest(), Ct),
        "prune-negative-age" => s.PruneAsync(new PruneRequest { OlderThan = TimeSpan.FromDays(-1) }, Ct),
        "latest-nothing" => s.GetLatestResponseAsync(null, null, Ct),
        "performance-0-days" => s.GetPerformanceAsync(null, 0, Ct),
        "summary-empty-id" => s.GetExecutionSummaryAsync("", Ct),
        "graph-empty-id" => s.GetExecutionGraphAsync("", Ct),
        "errors-empty-id" => s.GetErrorsAsync("", ContextWindow.Default, Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public async Task An_empty_native_query_and_a_stream_limit_of_zero_behave_alike_in_both_stores()
    {
        var handler = new ReplayHandler();
        await using var arango = Arango(handler);
        var s = await Assert.ThrowsAsync<StoreQueryException>(() => _sqlite.QueryAsync(" ", cancellationToken: Ct));
        var a = await Assert.ThrowsAsync<StoreQueryException>(() => arango.QueryAsync(" ", cancellationToken: Ct));
        Assert.StartsWith("The query is empty.", s.Message);
        Assert.StartsWith("The query is empty.", a.Message);
        foreach (var store in new IAgentLogStore[] { _sqlite, arango })
        {
            await foreach (var e in store.StreamEventsAsync(new EventFilter { Limit = -1 }, Ct))
            {
                Assert.Fail($"{store.Kind} streamed {e.Event.EventId} under a limit of -1");
            }
        }
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task A_bad_argument_is_refused_by_both_stores_alike_before_any_io(string call)
    {
        var handler = new ReplayHandler(); // answers nothing: a request would fail the test
        await using var arango = Arango(handler);
        var fromSqlite = await Assert.ThrowsAnyAsync<ArgumentException>(() => Call(_sqlite, call));
        var fromArango = await Assert.ThrowsAnyAsync<ArgumentException>(() => Call(arango, call));
        Assert.Equal(fromSqlite.GetType(), fromArango.GetType());
        Assert.Equal(fromSqlite.Message, fromArango.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(RunStatus.Running, 0, 2)]
    [InlineData(RunStatus.Running, 2, 2)]
    [InlineData(RunStatus.Abandoned, 0, 2)]
    [InlineData(RunStatus.Abandoned, 1, 5)]
    [InlineData(RunStatus.Success, 0, 2)]
    public async Task Run_pages_are_full_and_equal_in_both_stores(RunStatus status, int offset, int limit)
    {
        // Alternating live (this process) and dead runs, newest first: paging before the liveness check gives short pages.
        var deadPid = await DeadPidAsync();
        var runs = new List<ScriptRun>();
        for (var i = 0; i < 8; i++)
        {
            var start = _data.T0.AddMinutes(i);
            var id = _data.NewExecutionId(start);
            runs.Add(_data.Run(id, start, pid: i % 2 == 0 ? deadPid : null, status: i == 7 ? RunStatus.Success : RunStatus.Running));
        }
        await _sqlite.WriteAsync([.. runs.Select(r => new RunStartWrite(r))], Ct);
        var fake = new ArangoFake { Runs = [.. runs.Select(ArangoDocuments.FromRun)] };
        await using var arango = Arango(fake.Handler);

        var query = new RunQuery { ScriptName = _data.Script, Status = status, Offset = offset, Limit = limit };
        var expected = (await _sqlite.ListRunsAsync(query, Ct)).Select(r => (r.ExecutionId, r.Status)).ToList();
        var actual = (await arango.ListRunsAsync(query, Ct)).Select(r => (r.ExecutionId, r.Status)).ToList();
        Assert.Equal(expected, actual);
        var available = runs.Count(r => (r.Status == RunStatus.Success ? RunStatus.Success : r.Pid == deadPid ? RunStatus.Abandoned : RunStatus.Running) == status);
        Assert.Equal(Math.Clamp(available - offset, 0, limit), actual.Count);
    }

    [Fact]
    public async Task The_execution_graph_is_the_same_in_both_stores()
    {
        var id = _data.NewExecutionId();
        var run = _data.Run(id);
        var events = new[]
        {
            _data.Event(id, "start", _data.T0.AddSeconds(1)),
            _data.Event(id, "disk full", _data.T0.AddSeconds(2), LogLevels.Error),
            _data.Event(id, "prefixed the path", _data.T0.AddSeconds(3)),
            _data.Event(id, "retry not fixed yet", _data.T0.AddSeconds(4), LogLevels.Critical),
            _data.Event(id, "Resolved: freed space", _data.T0.AddSeconds(5)),
            _data.Event(id, "fixed-width output", _data.T0.AddSeconds(6)),
        };
        var learning = _data.Learning(id, "free space before writing", time: _data.T0.AddSeconds(7));
        var relation = new LogRelation
        {
            RelationId = EventIds.New(), From = "log_events/" + events[1].EventId, To = "log_events/elsewhere", Type = RelationTypes.CausedBy,
            Rationale = "the disk filled because another run left its temporary files behind", Confidence = 0.7, CreatedAt = _data.T0,
        };
        await _sqlite.WriteAsync([new RunStartWrite(run), .. events.Select(e => new EventWrite(e)), new LearningWrite(learning), new RelationWrite(relation)], Ct);
        var fake = new ArangoFake
        {
            Runs = [ArangoDocuments.FromRun(run)],
            Events = [.. events.Select((e, i) => ArangoDocuments.FromEvent(e, i + 1))],
            Learnings = [ArangoDocuments.FromLearning(learning)],
            Relations = [ArangoDocuments.FromRelation(relation)],
        };
        await using var arango = Arango(fake.Handler);

        var expected = await _sqlite.GetExecutionGraphAsync(id, Ct);
        var actual = await arango.GetExecutionGraphAsync(id, Ct);
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Nodes, actual.Nodes);
        Assert.Equal(expected.Edges, actual.Edges);
        Assert.Equal(2, actual.Edges.Count(e => e.Type == RelationTypes.FixedBy));
    }

    [Fact]
    public async Task Summary_and_latest_response_fall_back_alike_in_both_stores()
    {
        // No final response and no progress on the run record; a SCRIPT_FINAL_RESPONSE event and PROGRESS events carry them.
        var id = _data.NewExecutionId();
        var run = _data.Run(id) with { Progress = new RunProgress("stored", 10, _data.T0) };
        var response = _data.Event(id, "final", _data.T0.AddSeconds(3), category: LogCategories.FinalResponse) with { PayloadJson = """{"answer":42}""" };
        var progress = _data.Event(id, "loading", _data.T0.AddSeconds(1), category: LogCategories.Progress) with { ExtraJson = """{"Stage":"load","Percent":50}""" };
        var plain = _data.Event(id, "step two", _data.T0.AddSeconds(2), category: LogCategories.Progress);
        await _sqlite.WriteAsync([new RunStartWrite(run), new EventWrite(progress), new EventWrite(plain), new EventWrite(response)], Ct);
        var fake = new ArangoFake
        {
            Runs = [ArangoDocuments.FromRun(run)],
            Events = [ArangoDocuments.FromEvent(progress, 1), ArangoDocuments.FromEvent(plain, 2), ArangoDocuments.FromEvent(response, 3)],
        };
        await using var arango = Arango(fake.Handler);

        var s = await _sqlite.GetExecutionSummaryAsync(id, Ct);
        var a = await arango.GetExecutionSummaryAsync(id, Ct);
        Assert.Equal(s!.FinalResponseJson, a!.FinalResponseJson);
        Assert.Equal("""{"answer":42}""", a.FinalResponseJson);
        Assert.Equal(s.Progress.Select(p => (p.Stage, p.Percent, p.Time)), a.Progress.Select(p => (p.Stage, p.Percent, p.Time)));
        Assert.Equal((await _sqlite.GetLatestResponseAsync(null, id, Ct))?.ResponseJson, (await arango.GetLatestResponseAsync(null, id, Ct))?.ResponseJson);

        // With no PROGRESS events, both show the run's stored progress.
        var bare = _data.NewExecutionId(_data.T0.AddHours(1));
        var bareRun = _data.Run(bare) with { Progress = new RunProgress("stored", 10, _data.T0) };
        await _sqlite.WriteAsync([new RunStartWrite(bareRun), new ProgressWrite(bare, bareRun.Progress!)], Ct);
        fake.Runs.Add(ArangoDocuments.FromRun(bareRun));
        var sb = await _sqlite.GetExecutionSummaryAsync(bare, Ct);
        var ab = await arango.GetExecutionSummaryAsync(bare, Ct);
        Assert.Equal(sb!.Progress.Select(p => (p.Stage, p.Percent)), ab!.Progress.Select(p => (p.Stage, p.Percent)));
        Assert.Equal(("stored", 10.0), (ab.Progress.Single().Stage, ab.Progress.Single().Percent));
    }

    private static async Task<int> DeadPidAsync()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
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
}
