using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>What <see cref="ArangoLogStore"/> sends: schema set-up, writes, queries, and how failures surface.</summary>
public sealed partial class ArangoLogStoreReplayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ArangoLogStore Store(ReplayHandler handler, int retentionDays = 30, int shards = 1) =>
        new(ArangoTestClients.Options("script_logs") with { NumberOfShards = shards, ReplicationFactor = 2, WriteConcern = 2 },
            retentionDays, handler, ArangoTestClients.Retry([]));

    [Fact]
    public async Task Initialize_creates_database_collections_indexes_view_and_graph()
    {
        var handler = new ReplayHandler(ArangoStoreRouter.Create())
            // Hand-made: the database does not exist yet (1228), answered to the version request on that database.
            .Then(Fixture.Respond(404, JsonNode.Parse("""{"code":404,"error":true,"errorNum":1228,"errorMessage":"database not found"}""")))
            .Then(ArangoFixtures.Load("database-create.json"));
        await using var store = Store(handler, retentionDays: 7, shards: 3);

        var info = await store.InitializeAsync(Ct);

        Assert.True(info.Created);
        Assert.Equal("arangodb", info.Kind);
        Assert.Equal(["log_events", "script_runs", "agent_learnings", "log_relations"], info.Counts.Keys);
        var r = handler.Requests;
        Assert.Equal("/_db/script_logs/_api/version", r[0].Path);
        var db = r.Single(x => x.Path == "/_db/_system/_api/database");
        Assert.Equal("script_logs", db.Json!["name"]!.GetValue<string>());

        var collections = r.Where(x => x.Path == "/_db/script_logs/_api/collection").Select(x => x.Json!.AsObject()).ToList();
        Assert.Equal(["log_events", "script_runs", "agent_learnings", "log_relations"], collections.Select(c => c["name"]!.GetValue<string>()));
        Assert.Equal([2, 2, 2, 3], collections.Select(c => c["type"]!.GetValue<int>()));
        Assert.All(collections, c =>
        {
            Assert.Equal(3, c["numberOfShards"]!.GetValue<int>());
            Assert.Equal(2, c["replicationFactor"]!.GetValue<int>());
            Assert.Equal(2, c["writeConcern"]!.GetValue<int>());
            Assert.Equal(["_key"], c["shardKeys"]!.AsArray().Select(k => k!.GetValue<string>()));
            Assert.Equal("object", c["schema"]!["rule"]!["type"]!.GetValue<string>());
        });

        var indexes = r.Where(x => x.Path == "/_db/script_logs/_api/index").ToList();
        Assert.Contains(indexes, i => i.Query["collection"] == "log_events" && i.Json!["fields"]!.ToJsonString() == """["execution_id","timestamp"]""");
        Assert.Contains(indexes, i => i.Query["collection"] == "log_events" && i.Json!["fields"]!.ToJsonString() == """["level","timestamp"]""");
        Assert.Contains(indexes, i => i.Query["collection"] == "script_runs" && i.Json!["fields"]!.ToJsonString() == """["script_name","start_time","execution_id"]""");
        Assert.Contains(indexes, i => i.Query["collection"] == "log_events" && i.Json!["fields"]!.ToJsonString() == """["timestamp"]""");
        Assert.Contains(indexes, i => i.Query["collection"] == "log_events" && i.Json!["fields"]!.ToJsonString() == """["log_category","timestamp"]""");
        var ttl = Assert.Single(indexes, i => i.Json!["type"]!.GetValue<string>() == "ttl");
        Assert.Equal(7 * 86_400, ttl.Json!["expireAfter"]!.GetValue<long>());
        Assert.Equal("""["ts_unix"]""", ttl.Json["fields"]!.ToJsonString());

        var view = r.Single(x => x.Path == "/_db/script_logs/_api/view").Json!;
        Assert.Equal("log_events_view", view["name"]!.GetValue<string>());
        Assert.Equal("arangosearch", view["type"]!.GetValue<string>());
        var fields = view["links"]!["log_events"]!["fields"]!;
        Assert.Equal("text_en", fields["message"]!["analyzers"]![0]!.GetValue<string>());
        Assert.Equal("text_en", fields["search_text"]!["analyzers"]![0]!.GetValue<string>());
        Assert.Equal("text_en", fields["exception"]!["fields"]!["message"]!["analyzers"]![0]!.GetValue<string>());
        Assert.Equal("text_en", fields["payload"]!["analyzers"]![0]!.GetValue<string>());
        foreach (var identity in new[] { "level", "script_name", "tags" })
        {
            Assert.Equal("identity", fields[identity]!["analyzers"]![0]!.GetValue<string>());
        }
        Assert.Contains(r, x => x.Method == "GET" && x.Path == "/_db/script_logs/_api/view/log_events_view/properties");

        var graph = r.Single(x => x.Path == "/_db/script_logs/_api/gharial").Json!;
        Assert.Equal("log_relationships", graph["name"]!.GetValue<string>());
        Assert.Equal("log_relations", graph["edgeDefinitions"]![0]!["collection"]!.GetValue<string>());
    }

    [Fact]
    public async Task Initialize_fails_clearly_when_the_view_has_no_links()
    {
        var router = ArangoStoreRouter.Create();
        // The recorded properties of a view with other links (not ours): the store must notice.
        var handler = new ReplayHandler(s => s.Path.EndsWith("/log_events_view/properties", StringComparison.Ordinal)
            ? ArangoFixtures.Load("view-get-properties-arangosearch.json").ToHttpResponse()
            : router(s));
        await using var store = Store(handler);
        var ex = await Assert.ThrowsAsync<StoreQueryException>(() => store.InitializeAsync(Ct));
        Assert.Contains("log_events_view", ex.Message);
        Assert.Contains("agentlog init", ex.Message);
    }

    [Fact]
    public async Task Unreachable_server_is_store_unavailable_naming_url_user_and_the_fix_but_not_the_password()
    {
        var handler = new ReplayHandler().ThenConnectionRefused().ThenConnectionRefused().ThenConnectionRefused().ThenConnectionRefused();
        await using var store = Store(handler);
        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(Ct));
        Assert.Contains("http://arango.test:8529", ex.Message);
        Assert.Contains("user agent", ex.Message);
        Assert.Contains("docker compose up -d", ex.Message);
        Assert.DoesNotContain(ArangoTestClients.Password, ex.ToString());
        Assert.DoesNotContain(ArangoTestClients.Password, store.Location);
    }

    [Fact]
    public async Task Events_are_inserted_in_one_request_keyed_by_event_id_with_overwrite_mode_ignore()
    {
        var handler = new ReplayHandler(ArangoStoreRouter.Create());
        await using var store = Store(handler);
        var t = new DateTimeOffset(2026, 8, 4, 15, 27, 0, TimeSpan.Zero).AddTicks(1234567);
        var e1 = new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = t, Level = LogLevels.Error, Message = "disk full", Category = LogLevels.Error,
            ExecutionId = "s_20260804_152700_abcdef01", ScriptName = "s", Tags = ["io"],
            ExtraJson = """{"a.b":1,"$type":"x","nested":{"c.d":[{"e.f":2}]}}""",
            PayloadJson = """{"city":"zanzibar"}""",
            Exception = new ExceptionInfo("System.IO.IOException", "no space", "at X"),
        };
        var e2 = e1 with { EventId = EventIds.New(), Message = "second", ExtraJson = null, Exception = null, PayloadJson = null };

        var outcome = await store.WriteAsync([new EventWrite(e1), new EventWrite(e2)], Ct);

        Assert.Empty(outcome.Rejected);
        var insert = Assert.Single(handler.Requests);
        Assert.Equal("POST", insert.Method);
        Assert.Equal("/_db/script_logs/_api/document/log_events", insert.Path);
        Assert.Equal("ignore", insert.Query["overwriteMode"]);
        var docs = insert.Json!.AsArray();
        Assert.Equal(2, docs.Count);
        var d = docs[0]!;
        Assert.Equal(e1.EventId, d["_key"]!.GetValue<string>());
        Assert.Equal(e1.EventId, d["event_id"]!.GetValue<string>());
        Assert.Equal("2026-08-04T15:27:00.1234567Z", d["timestamp"]!.GetValue<string>());
        Assert.Equal("ERROR", d["level"]!.GetValue<string>());
        Assert.Equal("ERROR", d["log_category"]!.GetValue<string>());
        Assert.Equal("s_20260804_152700_abcdef01", d["execution_id"]!.GetValue<string>());
        Assert.Equal("no space", d["exception"]!["message"]!.GetValue<string>());
        Assert.Equal("at X", d["exception"]!["stack_trace"]!.GetValue<string>());
        Assert.Equal("""{"a_b":1,"_type":"x","nested":{"c_d":[{"e_f":2}]}}""", d["extra"]!.ToJsonString());
        Assert.Contains("zanzibar", d["search_text"]!.GetValue<string>());
        Assert.Contains("no space", d["search_text"]!.GetValue<string>());
        Assert.True(d["seq"]!.GetValue<long>() < docs[1]!["seq"]!.GetValue<long>());
        Assert.Equal(e1.Timestamp.ToUnixTimeSeconds(), (long)d["ts_unix"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_failed_item_is_rejected_and_the_rest_are_stored()
    {
        var handler = new ReplayHandler().Then(ArangoFixtures.Load("document-create-array-partial-failure.json"));
        await using var store = Store(handler);
        var bad = new LearningWrite(new AgentLearning { LearningId = "111", Timestamp = DateTimeOffset.UtcNow, Learning = "x" });
        var good = new LearningWrite(new AgentLearning { LearningId = "abc", Timestamp = DateTimeOffset.UtcNow, Learning = "y" });
        var outcome = await store.WriteAsync([bad, good], Ct);
        var rejected = Assert.Single(outcome.Rejected);
        Assert.Same(bad, rejected.Write);
        Assert.Contains("1221", rejected.Reason);
        Assert.Contains("illegal document key", rejected.Reason);
        Assert.Equal("/_db/script_logs/_api/document/agent_learnings", handler.Requests[0].Path);
    }

    [Fact]
    public async Task An_event_without_id_is_rejected_before_sending()
    {
        var handler = new ReplayHandler();
        await using var store = Store(handler);
        var e = new LogEventRecord { EventId = "", Timestamp = DateTimeOffset.UtcNow, Level = "INFO", Message = "m", Category = "INFO" };
        var outcome = await store.WriteAsync([new EventWrite(e)], Ct);
        Assert.Contains("event_id", Assert.Single(outcome.Rejected).Reason);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_write_concern_failure_of_an_item_is_transient()
    {
        // Hand-made: an item failing with 1004 inside a 202 array answer (no recording has one).
        var handler = new ReplayHandler().Then(Fixture.Respond(202, JsonNode.Parse("""[{"error":true,"errorNum":1004,"errorMessage":"write concern not fulfilled"}]""")));
        await using var store = Store(handler);
        var e = new LogEventRecord { EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = "INFO", Message = "m", Category = "INFO" };
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync([new EventWrite(e)], Ct));
    }

    [Fact]
    public async Task Read_only_raw_query_is_refused_when_the_parser_finds_a_modification()
    {
        // Hand-made POST /_api/query answer: the AST of a REMOVE query (shape as ArangoDB's parse result).
        var ast = """{"error":false,"code":200,"parsed":true,"collections":["log_events"],"bindVars":[],"ast":[{"type":"root","subNodes":[{"type":"for","subNodes":[{"type":"variable","name":"e","id":0},{"type":"collection","name":"log_events"}]},{"type":"remove","subNodes":[{"type":"reference","name":"e","id":0},{"type":"collection","name":"log_events"}]}]}]}""";
        var handler = new ReplayHandler().Then(Fixture.Respond(200, JsonNode.Parse(ast)));
        await using var store = Store(handler);
        var ex = await Assert.ThrowsAsync<StoreQueryException>(() => store.QueryAsync("FOR e IN log_events REMOVE e IN log_events", cancellationToken: Ct));
        Assert.Contains("read-only", ex.Message);
        var parse = Assert.Single(handler.Requests);
        Assert.Equal("/_db/script_logs/_api/query", parse.Path);
        Assert.Equal("FOR e IN log_events REMOVE e IN log_events", parse.Json!["query"]!.GetValue<string>());
    }

    [Fact]
    public async Task Raw_query_runs_with_bind_variables_and_returns_columns()
    {
        var recorded = ArangoFixtures.Load("cursor-create-simple.json");
        var handler = new ReplayHandler(ArangoStoreRouter.Create(_ => recorded.ResponseBody!["result"]!.DeepClone().AsArray()));
        await using var store = Store(handler);
        var result = await store.QueryAsync("FOR p IN products FILTER p.x == @x LIMIT 2 RETURN p",
            new Dictionary<string, object?> { ["x"] = "v", ["@coll"] = "products" }, cancellationToken: Ct);
        var cursor = handler.Requests.Single(x => x.Path.EndsWith("/_api/cursor", StringComparison.Ordinal));
        Assert.Equal("v", cursor.Json!["bindVars"]!["x"]!.GetValue<string>());
        Assert.Equal("products", cursor.Json!["bindVars"]!["@coll"]!.GetValue<string>());
        // The server stops a raw query when the client stops waiting (ARANGO_TIMEOUT, 30 s by default).
        Assert.Equal(30, cursor.Json!["options"]!["maxRuntime"]!.GetValue<double>());
        Assert.Contains("_key", result.Columns);
        Assert.Equal(recorded.ResponseBody!["result"]!.AsArray().Count, result.Rows.Count);
        Assert.Null(result.RowsAffected);
    }

    [Fact]
    public async Task Raw_query_syntax_error_is_a_store_query_exception_with_the_error_number()
    {
        var handler = new ReplayHandler().Then(ArangoFixtures.Load("query-parse-error-syntax.json"));
        await using var store = Store(handler);
        var ex = await Assert.ThrowsAsync<StoreQueryException>(() => store.QueryAsync("FOR i IN 1..100 FILTER i = 1 LIMIT 2 RETURN i * 3", cancellationToken: Ct));
        Assert.Contains("1501", ex.Message);
        Assert.Contains("syntax error", ex.Message);
    }

    [Fact]
    public async Task Missing_collection_tells_to_run_init()
    {
        // Hand-made: 1203 for our collection, shape as cursor-create-error-unknown-collection.json.
        var handler = new ReplayHandler().Then(Fixture.Respond(404, JsonNode.Parse("""{"code":404,"error":true,"errorMessage":"collection or view not found: log_events","errorNum":1203}""")));
        await using var store = Store(handler);
        var ex = await Assert.ThrowsAsync<StoreQueryException>(() => store.ListRunsAsync(new RunQuery(), Ct));
        Assert.Contains("agentlog init", ex.Message);
    }
}
