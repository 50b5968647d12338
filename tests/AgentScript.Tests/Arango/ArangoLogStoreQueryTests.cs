using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// How the store turns query results into answers, and which queries it sends for writes and prunes. Cursor
/// answers here are hand-made (no recording of our own collections exists); their envelope is that of the
/// recorded cursor answers.
/// </summary>
public sealed class ArangoLogStoreQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ArangoLogStore Store(ReplayHandler handler) =>
        new(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([]));

    private static JsonObject Event(string id, string message, int second, string level = "INFO") =>
        ArangoDocuments.FromEvent(new LogEventRecord
        {
            EventId = id, Timestamp = DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(second), Level = level, Message = message,
            Category = level, ExecutionId = "s_20260101_000000_0000abcd", ScriptName = "s",
        }, second);

    private static List<string> Queries(ReplayHandler h) =>
        [.. h.Requests.Where(r => r.Path.EndsWith("/_api/cursor", StringComparison.Ordinal)).Select(r => r.Json!["query"]!.GetValue<string>())];

    [Fact]
    public async Task End_before_start_sends_an_upsert_with_a_placeholder_named_from_the_execution_id()
    {
        var handler = new ReplayHandler(ArangoStoreRouter.Create());
        await using var store = Store(handler);
        var end = new RunEnd { ExecutionId = "my_script_20260804_152700_abcdef01", Status = RunStatus.Success, EndTime = DateTimeOffset.UtcNow, DurationMs = 5 };
        Assert.Empty((await store.WriteAsync([new RunEndWrite(end)], Ct)).Rejected);
        var sent = handler.Requests.Single().Json!;
        Assert.Equal(AqlQueries.EndRun, sent["query"]!.GetValue<string>());
        var placeholder = sent["bindVars"]!["placeholder"]!;
        Assert.Equal("my_script", placeholder["script_name"]!.GetValue<string>());
        Assert.Equal("2026-08-04T15:27:00.0000000Z", placeholder["start_time"]!.GetValue<string>());
        Assert.True(placeholder["placeholder"]!.GetValue<bool>());
        Assert.Equal("success", sent["bindVars"]!["patch"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_reads_documents_and_scores()
    {
        var rows = new JsonArray(
            new JsonObject { ["doc"] = Event("a", "database connection timeout", 1), ["score"] = 2.5 },
            new JsonObject { ["doc"] = Event("b", "connection pool warmed", 2), ["score"] = 0.7 });
        var handler = new ReplayHandler(ArangoStoreRouter.Create(_ => rows));
        await using var store = Store(handler);
        var hits = await store.SearchAsync(new SearchQuery { Text = "database connection", Level = "info", Limit = 5, Offset = 5 }, Ct);
        Assert.Equal(["database connection timeout", "connection pool warmed"], hits.Select(h => h.Event.Message));
        Assert.Equal([2.5, 0.7], hits.Select(h => h.Score));
        var bind = handler.Requests.Single().Json!["bindVars"]!;
        Assert.Equal("INFO", bind["level"]!.GetValue<string>());
        Assert.Equal(5, bind["offset"]!.GetValue<int>());
        Assert.Equal("database connection", bind["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_rejects_bad_input_before_sending()
    {
        var handler = new ReplayHandler();
        await using var store = Store(handler);
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new SearchQuery { Text = " " }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new SearchQuery { Text = "x", Limit = 0 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new SearchQuery { Text = "x", Level = "LOUD" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PruneAsync(new PruneRequest(), Ct));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Dry_run_prune_only_counts_and_a_real_prune_removes_relations_before_their_ends()
    {
        // Hand-made cursor answers by query text; the removal statistics count the handles given.
        var eventBatches = new Queue<JsonArray>([new JsonArray("log_events/e1", "log_events/e2")]);
        var handler = new ReplayHandler(ArangoStoreRouter.Create(s =>
        {
            var q = s.Json!["query"]!.GetValue<string>();
            return q == AqlQueries.PruneRunKeys ? new JsonArray("r1")
                : q == AqlQueries.PruneEventIds ? (eventBatches.TryDequeue(out var b) ? b : new JsonArray())
                : q.Contains("COLLECT WITH COUNT", StringComparison.Ordinal) ? new JsonArray(7) : new JsonArray();
        }));
        await using var store = Store(handler);

        var dry = await store.PruneAsync(new PruneRequest { ExecutionIds = ["r1"], DryRun = true, IncludeLearnings = true }, Ct);
        Assert.Equal(new PruneResult(7, 7, 7, 7, true), dry);
        Assert.DoesNotContain(Queries(handler), q => q.Contains("REMOVE", StringComparison.Ordinal));

        handler.Requests.Clear();
        var result = await store.PruneAsync(new PruneRequest { ExecutionIds = ["r1"], IncludeLearnings = true }, Ct);
        Assert.Equal(
            [AqlQueries.PruneEventIds, AqlQueries.RemoveRelationsOf, AqlQueries.RemoveEventsByIds,
             AqlQueries.PruneRunKeys, AqlQueries.PruneLearningIds, AqlQueries.RemoveRelationsOf, AqlQueries.RemoveRunsByIds],
            Queries(handler));
        Assert.Equal(new PruneResult(Events: 2, Runs: 1, Learnings: 0, Relations: 3, DryRun: false), result);
        var runHandles = handler.Requests[^1].Json!["bindVars"]!["handles"]!.AsArray();
        Assert.Equal("script_runs/r1", Assert.Single(runHandles)!.GetValue<string>());
    }

    [Fact]
    public async Task Graph_is_one_query_and_follows_the_shared_rules()
    {
        // Hand-made answer of the one graph query. "prefixed" and an error saying "fixed" are not fixes (shared rule).
        var run = ArangoDocuments.FromRun(new ScriptRun { ExecutionId = "s_20260101_000000_0000abcd", ScriptName = "s", Mode = "working", Status = RunStatus.Success, StartTime = DateTimeOffset.UnixEpoch });
        var relation = ArangoDocuments.FromRelation(new LogRelation { RelationId = "r", From = "log_events/b", To = "log_events/zz", Type = "CAUSED_BY", CreatedAt = DateTimeOffset.UnixEpoch, Confidence = 0.5 });
        var graph = new JsonArray(new JsonObject
        {
            ["run"] = run,
            ["events"] = new JsonArray(Event("a", "start", 1), Event("b", "failed", 2, "ERROR"), Event("p", "prefixed the key", 3),
                Event("q", "still not fixed", 4, "ERROR"), Event("c", "Fixed it", 5)),
            ["learnings"] = new JsonArray(),
            ["stored"] = new JsonArray(relation),
        });
        var handler = new ReplayHandler(ArangoStoreRouter.Create(_ => graph));
        await using var store = Store(handler);
        var g = await store.GetExecutionGraphAsync("s_20260101_000000_0000abcd", Ct);
        Assert.NotNull(g);
        Assert.Equal(1, handler.Requests.Count(r => r.Path.EndsWith("/_api/cursor", StringComparison.Ordinal)));
        Assert.DoesNotContain(handler.Requests, r => r.Path.Contains("/_api/document/", StringComparison.Ordinal));
        Assert.Equal(["run", "event", "event", "event", "event", "event", "event"], g.Nodes.Select(n => n.Kind));
        Assert.Equal(4, g.Edges.Count(e => e.Type == RelationTypes.FollowedBy));
        Assert.Equal([("log_events/b", "log_events/c"), ("log_events/q", "log_events/c")],
            g.Edges.Where(e => e.Type == RelationTypes.FixedBy).Select(e => (e.From, e.To)));
        var stored = Assert.Single(g.Edges, e => e.Stored);
        Assert.Equal(("CAUSED_BY", 0.5), (stored.Type, stored.Confidence!.Value));
    }

    [Fact]
    public async Task Performance_reads_figures_and_fills_every_day()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var handler = new ReplayHandler(ArangoStoreRouter.Create(s => s.Json!["query"]!.GetValue<string>() == AqlQueries.PerformanceByScript
            ? new JsonArray(new JsonObject
            {
                ["script"] = "s", ["runs"] = 6, ["success"] = 4, ["failed"] = 1, ["cancelled"] = 1, ["abandoned"] = 0, ["running"] = new JsonArray(),
                ["p50"] = 200, ["p90"] = 1000, ["p99"] = 1000, ["max"] = 1000,
            })
            : new JsonArray(new JsonObject
            {
                ["runs"] = new JsonArray(new JsonObject { ["day"] = today, ["runs"] = 2, ["failed"] = 1 }),
                ["errors"] = new JsonArray(new JsonObject { ["day"] = today, ["n"] = 3 }),
            })));
        await using var store = Store(handler);
        var report = await store.GetPerformanceAsync("s", 7, Ct);
        var p = Assert.Single(report.Scripts);
        Assert.Equal(4.0 / 6, p.SuccessRate, 6);
        Assert.Equal(200, p.P50Ms);
        Assert.Equal(7, report.Trend.Count);
        Assert.Equal((2, 1, 3L), (report.Trend[^1].Runs, report.Trend[^1].FailedRuns, report.Trend[^1].Errors));
        Assert.All(report.Trend.SkipLast(1), d => Assert.Equal(0, d.Runs));
    }
}
