using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Arango;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Arango;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Reliability;

/// <summary>Malformed and malicious queries: clear errors, values bound (never spliced), raw queries read-only.</summary>
public sealed class HostileQueryTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private SqliteLogStore _store = null!;
    private readonly StoreTestData _data = new("inject");
    private string _executionId = "";

    public static TheoryData<string> Injections =>
    [
        "' OR '1'='1",
        "x'; DROP TABLE log_events; --",
        "\" OR \"\"=\"",
        "1) OR (1=1",
        "*",
        "NEAR(a b",
        "message:secret",
        "a\" OR \"b",
        "') UNION SELECT sql FROM sqlite_master --",
        "FOR d IN log_events REMOVE d IN log_events",
        "@@collection",
        "\0\uD800",
        "../../../_api/collection/log_events/truncate",
    ];

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteLogStore(Path.Combine(_dir.Path, "agentlog.db"));
        await _store.InitializeAsync(Ct);
        var (id, writes) = _data.CompleteRun("""{"ok":true}""");
        _executionId = id;
        writes.Add(new LearningWrite(_data.Learning(id, "ordinary learning")));
        await _store.WriteAsync(writes, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task AssertIntactAsync()
    {
        var rows = await _store.QueryAsync("SELECT (SELECT count(*) FROM log_events), (SELECT count(*) FROM script_runs), (SELECT count(*) FROM agent_learnings)", cancellationToken: Ct);
        Assert.Equal([3L, 1L, 1L], rows.Rows[0].Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Injection_attempts_through_every_query_api_are_bound_not_spliced(string hostile)
    {
        // Each call either finds nothing for the hostile value, or refuses it with a clear query error; none runs it.
        async Task Try(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception e) when (e is StoreQueryException or ArgumentException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
        await Try(async () => Assert.DoesNotContain(await _store.SearchAsync(new SearchQuery { Text = hostile }, Ct), h => h.Event.ExecutionId != _executionId));
        await Try(async () => Assert.Empty(await _store.SearchAsync(new SearchQuery { Text = "working", ScriptName = hostile, ExecutionId = hostile, Level = "INFO" }, Ct)));
        await Try(async () => Assert.Empty(await _store.ListRunsAsync(new RunQuery { ScriptName = hostile }, Ct)));
        await Try(async () => Assert.Null(await _store.GetRunAsync(hostile, Ct)));
        await Try(async () => Assert.Null(await _store.GetLatestResponseAsync(hostile, null, Ct)));
        await Try(async () => Assert.Null(await _store.GetLatestResponseAsync(null, hostile, Ct)));
        await Try(async () => Assert.Null(await _store.GetExecutionSummaryAsync(hostile, Ct)));
        await Try(async () => Assert.Empty(await _store.GetErrorsAsync(hostile, ContextWindow.Default, Ct)));
        await Try(async () => Assert.Empty(await _store.GetLearningsAsync(new LearningQuery { ExecutionId = hostile }, Ct)));
        await Try(async () => Assert.Empty(await _store.GetRelationsAsync(hostile, Ct)));
        await Try(async () => Assert.Null(await _store.GetExecutionGraphAsync(hostile, Ct)));
        await Try(async () =>
        {
            var list = new List<StreamedEvent>();
            await foreach (var e in _store.StreamEventsAsync(new EventFilter { ExecutionId = hostile, ScriptName = hostile, Category = hostile }, Ct))
            {
                list.Add(e);
            }
            Assert.Empty(list);
        });
        // Values passed as raw-query parameters are data, whatever they contain.
        var bound = await _store.QueryAsync("SELECT count(*) FROM log_events WHERE execution_id = $id", new Dictionary<string, object?> { ["$id"] = hostile }, cancellationToken: Ct);
        Assert.Equal(0L, Convert.ToInt64(bound.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        await AssertIntactAsync();
    }

    [Theory]
    [InlineData("DELETE FROM log_events")]
    [InlineData("SELECT 1; DELETE FROM log_events")]
    [InlineData("UPDATE script_runs SET status = 'failed'")]
    [InlineData("DROP TABLE agent_learnings")]
    [InlineData("INSERT INTO agent_learnings (learning_id, timestamp, learning) VALUES ('x', 'now', 'evil')")]
    [InlineData("PRAGMA journal_mode = DELETE")]
    public async Task Raw_queries_cannot_change_the_store_unless_writes_are_asked_for(string sql)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => _store.QueryAsync(sql, cancellationToken: Ct));
        // Refused as read-only; a PRAGMA that needs an exclusive lock may instead be reported as locked.
        Assert.True(e is StoreQueryException { Message: var m } && m.Contains("read-only", StringComparison.Ordinal) || e is StoreUnavailableException && sql.StartsWith("PRAGMA", StringComparison.Ordinal), e.ToString());
        await AssertIntactAsync();
    }

    [Theory]
    [InlineData("ATTACH DATABASE '{0}' AS evil")]
    [InlineData("VACUUM INTO '{0}'")]
    public async Task Raw_read_only_queries_create_no_files(string template)
    {
        var target = Path.Combine(_dir.Path, "created-by-query.db");
        try
        {
            await _store.QueryAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, target), cancellationToken: Ct);
        }
        catch (StoreQueryException)
        {
            // Refused: fine.
        }
        Assert.False(File.Exists(target), "a read-only raw query wrote a file");
    }

    [Fact]
    public async Task Writes_asked_for_explicitly_are_allowed()
    {
        await _store.QueryAsync("DELETE FROM agent_learnings", allowWrites: true, cancellationToken: Ct);
        Assert.Empty(await _store.GetLearningsAsync(new LearningQuery(), Ct));
    }

    [Theory]
    [InlineData("SELEC * FROM log_events", "SELEC")]
    [InlineData("SELECT * FROM log_events WHERE", "incomplete input")]
    [InlineData("SELECT * FORM log_events", "FORM")]
    [InlineData("SELECT * FROM no_such_table", "no_such_table")]
    public async Task Malformed_sql_gives_a_clear_error_naming_where_it_went_wrong(string sql, string mentioned)
    {
        var e = await Assert.ThrowsAsync<StoreQueryException>(() => _store.QueryAsync(sql, cancellationToken: Ct));
        Assert.Contains(mentioned, e.Message);
        Assert.Contains("SQLite", e.Message);
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("a AND")]
    [InlineData("(((")]
    [InlineData("NOT")]
    [InlineData("col:value")]
    [InlineData("^*")]
    public async Task Malformed_search_syntax_never_crashes(string text)
    {
        try
        {
            await _store.SearchAsync(new SearchQuery { Text = text }, Ct);
        }
        catch (StoreQueryException e)
        {
            Assert.Contains("search", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
        await AssertIntactAsync();
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task ArangoDB_queries_carry_hostile_values_only_in_bind_variables(string hostile)
    {
        ArangoFixtures.RequireFolder();
        var handler = new ReplayHandler(ArangoStoreRouter.Create());
        await using var store = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([]));
        async Task Try(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception e) when (e is StoreQueryException or ArgumentException)
            {
            }
        }
        await Try(() => store.SearchAsync(new SearchQuery { Text = hostile + " word", ScriptName = hostile, ExecutionId = hostile }, Ct));
        await Try(() => store.ListRunsAsync(new RunQuery { ScriptName = hostile }, Ct));
        await Try(() => store.GetRunAsync(hostile, Ct));
        await Try(() => store.GetLatestResponseAsync(hostile, hostile, Ct));
        await Try(() => store.GetExecutionSummaryAsync(hostile, Ct));
        await Try(() => store.GetLearningsAsync(new LearningQuery { ExecutionId = hostile }, Ct));
        await Try(() => store.GetRelationsAsync(hostile, Ct));
        var cursors = handler.Requests.Where(r => r.Path.EndsWith("/_api/cursor", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cursors);
        var core = hostile.Replace("\0", "", StringComparison.Ordinal).Trim('*');
        if (core.Length >= 4 && !core.StartsWith("@@", StringComparison.Ordinal))
        {
            Assert.All(cursors, r => Assert.DoesNotContain(core, r.Json!["query"]!.GetValue<string>()));
        }
        // A value used as a document key never escapes its URL segment.
        Assert.All(handler.Requests, r => Assert.False(r.Path.Contains("/truncate", StringComparison.Ordinal) || r.Path.Contains("/_admin", StringComparison.Ordinal), r.Path));
    }
}
