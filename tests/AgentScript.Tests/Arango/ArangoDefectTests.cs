using System.Text.Json.Nodes;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// The ArangoDB store against failures a real 3.12 server and cluster produce: lost answers, transient errorNums,
/// restricted users, slow logins, slow consumers. Answers are recorded (<c>Fixtures/</c>, named by file) or hand-made
/// (marked so, in the envelope of the recorded ones).
/// </summary>
public sealed class ArangoDefectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ArangoLogStore Store(ReplayHandler handler, List<TimeSpan>? delays = null, ArangoOptions? options = null) =>
        new(options ?? ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry(delays ?? []));

    private static HttpResponseMessage Error(int status, int errorNum, string message) =>
        Fixture.Respond(status, new JsonObject { ["code"] = status, ["error"] = true, ["errorNum"] = errorNum, ["errorMessage"] = message });

    private static HttpResponseMessage Cursor(JsonArray result, bool hasMore = false, string? id = null, string? nextBatchId = null, int code = 201)
    {
        var body = new JsonObject { ["result"] = result, ["hasMore"] = hasMore, ["cached"] = false, ["error"] = false, ["code"] = code };
        if (id is not null) body["id"] = id;
        if (nextBatchId is not null) body["nextBatchId"] = nextBatchId;
        return Fixture.Respond(code, body);
    }

    // ---- cursors and repeats ----

    [Fact]
    public async Task A_batch_whose_answer_was_lost_is_fetched_again_by_batch_id_and_none_is_skipped()
    {
        // Recorded: create with allowRetry (batch 1 = [1,2], nextBatchId 2) and the re-fetch of batch 2 ([3,4]).
        // Hand-made: the lost answer, and the last batch.
        var handler = new ReplayHandler()
            .Then(ArangoFixtures.Load("cursor-create-allow-retry.json"))
            .ThenConnectionLost()
            .Then(ArangoFixtures.Load("cursor-batch-retry.json"))
            .Then(Cursor([5], code: 200));
        using var client = ArangoTestClients.Client(handler);
        var values = new List<int>();
        await foreach (var v in client.QueryAsync("FOR i IN 1..5 RETURN i", options: new ArangoQueryOptions { BatchSize = 2 }, cancellationToken: Ct))
        {
            values.Add(v.GetInt32());
        }
        Assert.Equal([1, 2, 3, 4, 5], values);
        Assert.Equal(["/_db/_system/_api/cursor", "/_db/_system/_api/cursor/74308/2", "/_db/_system/_api/cursor/74308/2", "/_db/_system/_api/cursor/74308/3"],
            handler.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_cursor_without_batch_ids_is_not_moved_on_twice_after_a_lost_answer()
    {
        // Hand-made: a server that gives no nextBatchId (before 3.11.1); POST /_api/cursor/{id} moves the cursor on.
        var handler = new ReplayHandler().Then(Cursor([1, 2], hasMore: true, id: "9")).ThenConnectionLost()
            .Then(ArangoFixtures.Load("cursor-delete.json")); // recorded: the abandoned cursor is deleted
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(async () =>
        {
            await foreach (var _ in client.QueryAsync("FOR i IN 1..5 RETURN i", cancellationToken: Ct)) { }
        });
        Assert.True(ex.MayHaveApplied);
        Assert.Equal(2, handler.Requests.Count(r => r.Method == "POST"));
        Assert.Equal("/_db/_system/_api/cursor/9", handler.Requests.Single(r => r.Method == "DELETE").Path);
    }

    [Fact]
    public async Task A_removing_query_is_not_sent_again_after_a_lost_answer()
    {
        var handler = new ReplayHandler().ThenConnectionLost();
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.QueryAllAsync("FOR e IN log_events REMOVE e IN log_events", cancellationToken: Ct));
        Assert.True(ex.MayHaveApplied);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_read_or_a_request_that_never_left_is_sent_again()
    {
        // Connection refused (never sent) for a write, then a lost answer for a read: both repeated. Recorded answers.
        var handler = new ReplayHandler()
            .ThenConnectionRefused().Then(ArangoFixtures.Load("cursor-create-remove-query.json"))
            .ThenConnectionLost().Then(ArangoFixtures.Load("cursor-create-simple.json"));
        using var client = ArangoTestClients.Client(handler);
        await client.QueryAllAsync("FOR e IN log_events REMOVE e IN log_events", cancellationToken: Ct);
        await client.QueryAllAsync("FOR e IN log_events RETURN e", cancellationToken: Ct);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_stream_cursor_asks_for_a_ttl_that_outlasts_a_slow_consumer()
    {
        var handler = new ReplayHandler(ArangoStoreRouter.Create());
        await using var store = Store(handler);
        await foreach (var _ in store.StreamEventsAsync(new EventFilter { ScriptName = "s" }, Ct)) { }
        var body = handler.Requests.Single().Json!;
        Assert.True(body["options"]!["stream"]!.GetValue<bool>());
        Assert.Equal(ArangoQueryOptions.StreamTtlSeconds, body["ttl"]!.GetValue<int>());
        Assert.True(ArangoQueryOptions.StreamTtlSeconds > 30);
    }

    // ---- initialisation ----

    [Fact]
    public async Task Initialize_asks_the_configured_database_so_a_user_without_system_rights_can_start()
    {
        // Hand-made 401 for anything on _system (the user has rights on script_logs only); the rest as the router answers.
        var router = ArangoStoreRouter.Create();
        var handler = new ReplayHandler(s => s.Path.StartsWith("/_db/_system/", StringComparison.Ordinal)
            ? Error(401, 11, "not authorized to execute this request")
            : router(s));
        await using var store = Store(handler);
        await store.InitializeAsync(Ct);
        Assert.Equal("/_db/script_logs/_api/version", handler.Requests[0].Path);
        Assert.DoesNotContain(handler.Requests, r => r.Path.StartsWith("/_db/_system/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_up_on_an_existing_store_only_reads()
    {
        // Hand-made answers describing a store this code created: every collection, index and view link present.
        var collections = new JsonArray([.. ArangoSchema.Collections.Select(c => (JsonNode?)new JsonObject { ["name"] = c, ["isSystem"] = false, ["type"] = 2 })]);
        var view = new JsonObject { ["name"] = ArangoSchema.View, ["type"] = "arangosearch", ["links"] = ArangoSchema.ViewDefinition()["links"]!.DeepClone() };
        // The server adds defaults to each link; they must not count as a difference.
        view["links"]!["log_events"]!["trackListPositions"] = false;
        var handler = new ReplayHandler(s =>
        {
            if (s.Path.EndsWith("/_api/version", StringComparison.Ordinal)) return ArangoFixtures.Load("version.json").ToHttpResponse();
            if (s.Method == "GET" && s.Path.EndsWith("/_api/collection", StringComparison.Ordinal)) return Fixture.Respond(200, new JsonObject { ["result"] = collections.DeepClone() });
            if (s.Method == "GET" && s.Path.EndsWith("/_api/index", StringComparison.Ordinal))
            {
                var names = ArangoSchema.Indexes(30).Where(i => i.Collection == s.Query["collection"]).Select(i => i.Index);
                return Fixture.Respond(200, new JsonObject
                {
                    ["indexes"] = new JsonArray([.. names.Select(i => (JsonNode?)new JsonObject
                    {
                        ["id"] = s.Query["collection"] + "/1", ["name"] = i.Name, ["type"] = i.Type,
                        ["fields"] = new JsonArray([.. i.Fields.Select(f => (JsonNode?)JsonValue.Create(f))]),
                    })]),
                });
            }
            if (s.Method == "GET" && s.Path.EndsWith("/_api/view/log_events_view/properties", StringComparison.Ordinal)) return Fixture.Respond(200, view.DeepClone());
            if (s.Path.EndsWith("/_api/gharial", StringComparison.Ordinal)) return Error(409, 1925, "graph already exists");
            if (s.Path.EndsWith("/_api/cursor", StringComparison.Ordinal)) return Cursor([new JsonObject { ["log_events"] = 3 }]);
            return null;
        });
        await using var store = Store(handler);
        var info = await store.InitializeAsync(Ct);
        Assert.False(info.Created);
        Assert.Equal(3, info.Counts["log_events"]);
        Assert.DoesNotContain(handler.Requests, r => r.Method == "PATCH" || (r.Method == "POST" && !r.Path.EndsWith("/_api/cursor", StringComparison.Ordinal) && !r.Path.EndsWith("/_api/gharial", StringComparison.Ordinal)));
        // version, collection list, 4 index lists, view properties, graph, counts.
        Assert.Equal(9, handler.Requests.Count);
    }

    [Fact]
    public async Task Start_up_changes_view_links_only_when_they_differ()
    {
        // The router's view properties are the recorded answer with its links renamed (hand-edited): not ours, so one PATCH.
        var handler = new ReplayHandler(ArangoStoreRouter.Create());
        await using var store = Store(handler);
        await store.InitializeAsync(Ct);
        Assert.Single(handler.Requests, r => r.Method == "PATCH");
        Assert.Single(handler.Requests, r => r.Method == "GET" && r.Path.EndsWith("/properties", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_login_that_times_out_is_a_clear_timeout_not_a_cancelled_task()
    {
        var handler = new ReplayHandler().ThenHang();
        var options = ArangoTestClients.Options(jwt: true) with { RequestTimeout = TimeSpan.FromMilliseconds(200) };
        using var client = ArangoTestClients.Client(handler, options: options);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.GetVersionAsync(Ct));
        Assert.Equal(ArangoErrorKind.Timeout, ex.Kind);
        Assert.Contains("/_open/auth", ex.Message);
        Assert.Contains("ARANGO_TIMEOUT", ex.Message);
        Assert.DoesNotContain(ArangoTestClients.Password, ex.Message);
    }

    // ---- transient errors: retried, never dead-lettered ----

    [Theory]
    [InlineData(409, 1200)] // write-write conflict
    [InlineData(500, 18)]   // lock timeout
    [InlineData(500, 1457)] // cluster timeout
    [InlineData(421, 1491)] // shard leader resigned (failover)
    [InlineData(503, 1496)] // not leader
    [InlineData(503, 1429)] // write concern not fulfilled
    public async Task A_transient_server_error_is_retried_by_the_client(int status, int errorNum)
    {
        // Hand-made error (shape as recorded errors), then the recorded answer of a simple query.
        var delays = new List<TimeSpan>();
        var handler = new ReplayHandler().Then(Error(status, errorNum, "transient")).Then(ArangoFixtures.Load("cursor-create-simple.json"));
        using var client = ArangoTestClients.Client(handler, delays);
        await client.QueryAllAsync("FOR u IN users RETURN u", cancellationToken: Ct);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Single(delays);
    }

    [Fact]
    public async Task A_unique_constraint_on_an_upsert_is_retried_later_not_refused()
    {
        // Hand-made: two writers inserted the same run at once; the UPSERT that lost answers 1210.
        var handler = new ReplayHandler(s => s.Path.EndsWith("/_api/cursor", StringComparison.Ordinal)
            ? Error(409, 1210, "unique constraint violated - in index primary of type primary over '_key'")
            : null);
        await using var store = Store(handler);
        var run = new ScriptRun { ExecutionId = "s_20260101_000000_0000abcd", ScriptName = "s", Mode = "working", Status = RunStatus.Running, StartTime = DateTimeOffset.UnixEpoch };
        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync([new RunStartWrite(run)], Ct));
        Assert.Contains("1210", ex.Message);
    }

    [Fact]
    public async Task A_transient_error_on_one_item_of_a_bulk_insert_fails_the_batch_for_a_later_retry()
    {
        // Hand-made per-item answer (shape as document-create-array-partial-failure.json): item 2 hit a lock timeout.
        var handler = new ReplayHandler(s => s.Path.StartsWith("/_db/script_logs/_api/document/", StringComparison.Ordinal)
            ? Fixture.Respond(202, new JsonArray(
                new JsonObject { ["_key"] = "a", ["_id"] = "log_events/a", ["_rev"] = "1" },
                new JsonObject { ["error"] = true, ["errorNum"] = 18, ["errorMessage"] = "lock timeout" }))
            : null);
        await using var store = Store(handler);
        LogEventRecord E(string id) => new() { EventId = id, Timestamp = DateTimeOffset.UnixEpoch, Level = "INFO", Message = id, Category = "INFO" };
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync([new EventWrite(E("a")), new EventWrite(E("b"))], Ct));
    }

    [Fact]
    public async Task A_schema_violation_is_refused_for_good()
    {
        // Hand-made 400/1620 (shape as recorded errors): the server can never accept this write.
        var handler = new ReplayHandler(s => s.Path.EndsWith("/_api/cursor", StringComparison.Ordinal) ? Error(400, 1620, "Schema violation") : null);
        await using var store = Store(handler);
        var run = new ScriptRun { ExecutionId = "s_20260101_000000_0000abcd", ScriptName = "s", Mode = "working", Status = RunStatus.Running, StartTime = DateTimeOffset.UnixEpoch };
        var outcome = await store.WriteAsync([new RunStartWrite(run)], Ct);
        Assert.Contains("1620", Assert.Single(outcome.Rejected).Reason);
    }

    // ---- query shapes ----

    [Fact]
    public async Task Production_searches_never_wait_for_the_view_to_sync()
    {
        foreach (var aql in typeof(AqlQueries).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
        {
            Assert.DoesNotContain("waitForSync", aql);
        }
        var production = new ReplayHandler(ArangoStoreRouter.Create());
        await using (var store = Store(production))
        {
            await store.SearchAsync(new SearchQuery { Text = "x" }, Ct);
        }
        var tests = new ReplayHandler(ArangoStoreRouter.Create());
        await using (var testStore = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 30, tests, ArangoTestClients.Retry([])) { WaitForViewSync = true })
        {
            await testStore.SearchAsync(new SearchQuery { Text = "x" }, Ct);
        }
        Assert.DoesNotContain("waitForSync", production.Requests.Single().Json!["query"]!.GetValue<string>());
        Assert.Contains("waitForSync: true", tests.Requests.Single().Json!["query"]!.GetValue<string>());
    }

    [Fact]
    public async Task Prune_removes_in_bounded_batches()
    {
        // Hand-made: 5 events match, read 2 at a time.
        var batches = new Queue<JsonArray>([new JsonArray("log_events/1", "log_events/2"), new JsonArray("log_events/3", "log_events/4"), new JsonArray("log_events/5")]);
        var handler = new ReplayHandler(ArangoStoreRouter.Create(s => s.Json!["query"]!.GetValue<string>() == AqlQueries.PruneEventIds
            ? (batches.TryDequeue(out var b) ? b : new JsonArray()) : null));
        await using var store = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([])) { PruneBatchSize = 2 };
        var result = await store.PruneAsync(new PruneRequest { Category = "DEBUG" }, Ct);
        Assert.Equal(5, result.Events);
        var selects = handler.Requests.Where(r => r.Json?["query"]?.GetValue<string>() == AqlQueries.PruneEventIds).ToList();
        Assert.Equal(3, selects.Count);
        Assert.All(selects, r => Assert.Equal(2, r.Json!["bindVars"]!["batch"]!.GetValue<int>()));
        Assert.Contains("LIMIT @batch", AqlQueries.PruneEventIds);
        // The prune criteria have indexes to use.
        var fields = ArangoSchema.Indexes(30).Where(i => i.Collection == ArangoSchema.Events).Select(i => i.Index.Fields[0]).ToHashSet();
        Assert.Contains("timestamp", fields);
        Assert.Contains("log_category", fields);
    }

    [Fact]
    public async Task Errors_with_context_cost_two_queries_whatever_the_number_of_errors()
    {
        // Hand-made: 3 errors among 7 events.
        LogEventRecord E(string id, int s, string level = "INFO") => new()
        {
            EventId = id, Timestamp = DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(s), Level = level, Message = id, Category = level, ExecutionId = "x",
        };
        var events = new[] { E("a", 1), E("b", 2, "ERROR"), E("c", 3), E("d", 4, "ERROR"), E("e", 5), E("f", 6), E("g", 7, "CRITICAL") };
        JsonArray Docs(IEnumerable<LogEventRecord> es) => new([.. es.Select(e => (JsonNode?)ArangoDocuments.FromEvent(e, 1))]);
        var handler = new ReplayHandler(ArangoStoreRouter.Create(s => s.Json!["query"]!.GetValue<string>() switch
        {
            var q when q == AqlQueries.RunErrors => Docs(events.Where(e => e.Level != "INFO")),
            var q when q == AqlQueries.RunEventsBetween => Docs(events),
            _ => null,
        }));
        await using var store = Store(handler);
        var result = await store.GetErrorsAsync("x", ContextWindow.EventCount(1), Ct);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(["b", "d", "g"], result.Select(r => r.Error.EventId));
        Assert.Equal([["a"], ["c"], ["f"]], result.Select(r => r.Before.Select(e => e.EventId).ToArray()));
        Assert.Equal([["c"], ["e"], []], result.Select(r => r.After.Select(e => e.EventId).ToArray()));
    }

    [Theory]
    [InlineData(nameof(AqlQueries.ListRuns), "script_runs")]
    [InlineData(nameof(AqlQueries.LatestResponse), "script_runs")]
    [InlineData(nameof(AqlQueries.Learnings), "agent_learnings")]
    public void A_sort_ends_with_the_fields_of_an_index_so_the_index_serves_it(string query, string collection)
    {
        var aql = (string)typeof(AqlQueries).GetField(query)!.GetRawConstantValue()!;
        var sort = System.Text.RegularExpressions.Regex.Match(aql, @"SORT (.+)").Groups[1].Value;
        var fields = sort.Split(',').Select(p => p.Trim().Split(' ')[0].Split('.')[1]).ToArray();
        Assert.DoesNotContain("_key", fields);
        Assert.Contains(ArangoSchema.Indexes(30), i => i.Collection == collection && i.Index.Fields.AsEnumerable().Reverse().Take(fields.Length).Reverse().SequenceEqual(fields));
    }
}
