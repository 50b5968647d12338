using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// Every client operation against the real answers of ArangoDB 3.12 recorded in tests/AgentScript.Tests/Arango/Fixtures: the
/// request our client sends (method, path, query, body) and how it reads the answer.
/// </summary>
public sealed class ArangoClientReplayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertSent(Fixture f, SentRequest sent, bool exactBody = true)
    {
        Assert.Equal(f.Method, sent.Method);
        Assert.Equal(f.ExpectedPath, sent.Path);
        foreach (var (k, v) in f.Query)
        {
            Assert.Equal(v, sent.Query[k]);
        }
        if (f.RequestBody is null)
        {
            Assert.Null(sent.Body);
        }
        else if (exactBody)
        {
            Assert.True(JsonNode.DeepEquals(f.RequestBody, sent.Json), $"{f.Name}: sent {sent.Body}, recorded {f.RequestBody.ToJsonString()}");
        }
        else
        {
            AssertContains(f.RequestBody, sent.Json!);
        }
    }

    /// <summary>Every property the recording sent is sent the same way by us (we may send more).</summary>
    private static void AssertContains(JsonNode expected, JsonNode actual)
    {
        if (expected is JsonObject eo)
        {
            var ao = Assert.IsType<JsonObject>(actual);
            foreach (var (k, v) in eo)
            {
                Assert.True(ao.ContainsKey(k), $"missing '{k}' in {actual.ToJsonString()}");
                AssertContains(v!, ao[k]!);
            }
        }
        else
        {
            Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}, sent {actual.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Create_database_sends_name_and_options_and_reads_result()
    {
        var f = ArangoFixtures.Load("database-create.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var created = await client.CreateDatabaseAsync("example", new JsonObject { ["sharding"] = "flexible", ["replicationFactor"] = 3 }, Ct);
        Assert.True(created);
        AssertSent(f, Assert.Single(handler.Requests));
    }

    [Fact]
    public async Task List_databases_reads_the_user_list()
    {
        var f = ArangoFixtures.Load("database-list-user.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var list = await client.ListDatabasesAsync(Ct);
        Assert.Equal(f.ResponseBody!["result"]!.AsArray().Select(x => x!.GetValue<string>()), list);
        Assert.Equal("/_db/_system/_api/database/user", handler.Requests[0].Path);
    }

    [Fact]
    public async Task Create_document_and_edge_collections()
    {
        var doc = ArangoFixtures.Load("collection-create-edge.json").Step("preceding_steps", 0);
        var edge = ArangoFixtures.Load("collection-create-edge.json");
        var handler = new ReplayHandler().Then(doc).Then(edge);
        using var client = ArangoTestClients.Client(handler);

        var a = await client.CreateCollectionAsync(new ArangoCollectionOptions { Name = "testCollectionBasics" }, Ct);
        var b = await client.CreateCollectionAsync(new ArangoCollectionOptions { Name = "testCollectionEdges", IsEdge = true }, Ct);

        Assert.Equal(new ArangoCollectionInfo("testCollectionBasics", false, false, "traditional"), a);
        Assert.Equal(new ArangoCollectionInfo("testCollectionEdges", true, false, "traditional"), b);
        AssertSent(doc, handler.Requests[0], exactBody: false);
        Assert.Equal(2, handler.Requests[0].Json!["type"]!.GetValue<int>());
        AssertSent(edge, handler.Requests[1]);
    }

    [Fact]
    public async Task Create_collection_with_key_options_schema_and_cluster_options()
    {
        var f = ArangoFixtures.Load("collection-create-keyoptions.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var recordedKeyOptions = f.RequestBody!["keyOptions"]!;
        var options = new ArangoCollectionOptions
        {
            Name = f.RequestBody!["name"]!.GetValue<string>(),
            KeyType = recordedKeyOptions["type"]!.GetValue<string>(),
            AllowUserKeys = recordedKeyOptions["allowUserKeys"]!.GetValue<bool>(),
            SchemaRule = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("a") },
            SchemaMessage = "needs a",
            NumberOfShards = 3,
            ShardKeys = ["_key"],
            ReplicationFactor = 2,
            WriteConcern = 2,
        };
        var info = await client.CreateCollectionAsync(options, Ct);
        Assert.Equal(f.ResponseBody!["name"]!.GetValue<string>(), info!.Name);
        Assert.Equal(f.ResponseBody!["keyOptions"]!["type"]!.GetValue<string>(), info.KeyType);

        var sent = handler.Requests[0].Json!;
        Assert.Equal(recordedKeyOptions["type"]!.GetValue<string>(), sent["keyOptions"]!["type"]!.GetValue<string>());
        Assert.Equal("moderate", sent["schema"]!["level"]!.GetValue<string>());
        Assert.Equal("needs a", sent["schema"]!["message"]!.GetValue<string>());
        Assert.Equal("object", sent["schema"]!["rule"]!["type"]!.GetValue<string>());
        Assert.Equal(3, sent["numberOfShards"]!.GetValue<int>());
        Assert.Equal("_key", sent["shardKeys"]![0]!.GetValue<string>());
        Assert.Equal(2, sent["replicationFactor"]!.GetValue<int>());
        Assert.Equal(2, sent["writeConcern"]!.GetValue<int>());
    }

    [Fact]
    public async Task Collection_properties_and_count()
    {
        var props = ArangoFixtures.Load("collection-get-properties.json");
        var count = ArangoFixtures.Load("collection-get-count.json");
        var handler = new ReplayHandler().Then(props).Then(count);
        using var client = ArangoTestClients.Client(handler);
        var info = await client.GetCollectionAsync("products", Ct);
        var n = await client.CountAsync("products", Ct);
        Assert.Equal("products", info!.Name);
        Assert.Equal(count.ResponseBody!["count"]!.GetValue<long>(), n);
        AssertSent(props, handler.Requests[0]);
        AssertSent(count, handler.Requests[1]);
    }

    [Fact]
    public async Task Persistent_and_ttl_indexes()
    {
        var persistent = ArangoFixtures.Load("index-create-persistent.json");
        var ttl = ArangoFixtures.Load("index-create-ttl.json");
        var handler = new ReplayHandler().Then(persistent).Then(ttl);
        using var client = ArangoTestClients.Client(handler);

        var fields = persistent.RequestBody!["fields"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
        var p = await client.EnsureIndexAsync("products", new ArangoIndexDefinition { Type = "persistent", Fields = fields }, Ct);
        var t = await client.EnsureIndexAsync("sessions", ArangoIndexDefinition.Ttl(null!, "createdAt", 3600) with { Name = null }, Ct);

        Assert.True(p.IsNewlyCreated);
        Assert.Equal("persistent", p.Type);
        Assert.Equal(fields, p.Fields);
        Assert.Equal(persistent.ResponseBody!["id"]!.GetValue<string>(), p.Id);
        Assert.Equal("ttl", t.Type);
        Assert.Equal(["createdAt"], t.Fields);
        AssertSent(persistent, handler.Requests[0], exactBody: false);
        AssertSent(ttl, handler.Requests[1]);
    }

    [Fact]
    public async Task List_indexes()
    {
        var f = ArangoFixtures.Load("index-list.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var list = await client.ListIndexesAsync("products", Ct);
        Assert.Equal(f.ResponseBody!["indexes"]!.AsArray().Count, list.Count);
        Assert.Equal("primary", list[0].Type);
        AssertSent(f, handler.Requests[0]);
    }

    [Fact]
    public async Task Create_and_get_analyzer()
    {
        var create = ArangoFixtures.Load("analyzer-create.json");
        var get = ArangoFixtures.Load("analyzer-get.json");
        var handler = new ReplayHandler().Then(create).Then(get);
        using var client = ArangoTestClients.Client(handler);
        var name = await client.CreateAnalyzerAsync("testAnalyzer", "identity", cancellationToken: Ct);
        var got = await client.GetAnalyzerAsync("testAnalyzer", Ct);
        Assert.Equal("_system::testAnalyzer", name);
        Assert.Equal("identity", got!.Value.GetProperty("type").GetString());
        AssertSent(create, handler.Requests[0]);
        AssertSent(get, handler.Requests[1]);
    }

    [Fact]
    public async Task Create_view_then_read_its_links()
    {
        var create = ArangoFixtures.Load("view-create-arangosearch.json");
        var props = ArangoFixtures.Load("view-get-properties-arangosearch.json");
        var handler = new ReplayHandler().Then(create).Then(props);
        using var client = ArangoTestClients.Client(handler);
        Assert.True(await client.CreateViewAsync(new JsonObject { ["name"] = "products", ["type"] = "arangosearch" }, Ct));
        var properties = await client.GetViewPropertiesAsync("productsView", Ct);
        AssertSent(create, handler.Requests[0]);
        AssertSent(props, handler.Requests[1]);
        Assert.Equal(JsonValueKind.Object, properties!.Value.GetProperty("links").ValueKind);
    }

    [Fact]
    public async Task Update_view_properties_with_patch()
    {
        var f = ArangoFixtures.Load("view-update-properties-arangosearch.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var body = await client.UpdateViewPropertiesAsync("productsView", f.RequestBody!.DeepClone().AsObject(), Ct);
        AssertSent(f, handler.Requests[0]);
        Assert.Equal("productsView", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_and_get_named_graph()
    {
        var create = ArangoFixtures.Load("gharial-create.json");
        var get = ArangoFixtures.Load("gharial-get.json");
        var handler = new ReplayHandler().Then(create).Then(get);
        using var client = ArangoTestClients.Client(handler);
        Assert.True(await client.CreateGraphAsync("myGraph", [("edges", ["startNodes"], ["endNodes"])], Ct));
        var graph = await client.GetGraphAsync("myGraph", Ct);
        AssertSent(create, handler.Requests[0]);
        AssertSent(get, handler.Requests[1]);
        Assert.Equal("myGraph", graph!.Value.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Insert_many_reads_per_item_results_and_asks_for_overwrite_mode_ignore()
    {
        var f = ArangoFixtures.Load("document-create-array.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var docs = f.RequestBody!.AsArray().Select(d => d!.DeepClone().AsObject()).ToList();
        var results = await client.InsertManyAsync("products", docs, ignoreExisting: true, Ct);

        var sent = handler.Requests[0];
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/_db/_system/_api/document/products", sent.Path);
        Assert.Equal("ignore", sent.Query["overwriteMode"]);
        Assert.True(JsonNode.DeepEquals(f.RequestBody, sent.Json));
        var recorded = f.ResponseBody!.AsArray();
        Assert.Equal(recorded.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Ok));
        Assert.Equal(recorded.Select(r => r!["_key"]!.GetValue<string>()), results.Select(r => r.Key));
    }

    [Fact]
    public async Task Insert_many_with_a_failing_item_reports_it_in_place()
    {
        var f = ArangoFixtures.Load("document-create-array-partial-failure.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var results = await client.InsertManyAsync("products", [.. f.RequestBody!.AsArray().Select(d => d!.DeepClone().AsObject())], cancellationToken: Ct);
        Assert.Equal(2, results.Count);
        Assert.False(results[0].Ok);
        Assert.Equal(1221, results[0].ErrorNum);
        Assert.Equal("illegal document key", results[0].ErrorMessage);
        Assert.True(results[1].Ok);
        Assert.Equal("abc", results[1].Key);
    }

    [Fact]
    public async Task Get_document_and_missing_document_1202()
    {
        var found = ArangoFixtures.Load("document-get.json");
        var missing = ArangoFixtures.Load("document-get-error-not-found.json");
        var handler = new ReplayHandler().Then(found).Then(missing);
        using var client = ArangoTestClients.Client(handler);
        var key = found.Path.Split('/')[^1];
        var doc = await client.GetDocumentAsync("products", key, Ct);
        Assert.Equal(key, doc!.Value.GetProperty("_key").GetString());
        Assert.Null(await client.GetDocumentAsync("products", "unknown-identifier", Ct));
        AssertSent(found, handler.Requests[0]);
        AssertSent(missing, handler.Requests[1]);
    }

    [Fact]
    public async Task Document_in_missing_collection_is_a_typed_not_found_1203()
    {
        var f = ArangoFixtures.Load("document-create-error-unknown-collection.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() =>
            client.InsertManyAsync("products", [f.RequestBody is JsonObject o ? o.DeepClone().AsObject() : new JsonObject()], cancellationToken: Ct));
        Assert.Equal(ArangoErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.Code);
        Assert.Equal(1203, ex.ErrorNum);
        Assert.Contains("errorNum 1203", ex.Message);
        Assert.Contains("agentlog init", ex.Message);
    }

    [Fact]
    public async Task Cursor_pages_with_post_and_reads_every_batch()
    {
        var first = ArangoFixtures.Load("cursor-create-allow-retry.json");
        var second = ArangoFixtures.Load("cursor-next-batch-post-allow-retry.json");
        // Hand-made (no recording shows the last batch of a multi-batch cursor): the final batch, shape as the others with hasMore false.
        var last = Fixture.Respond(200, JsonNode.Parse("""{"result":[5],"hasMore":false,"count":5,"cached":false,"error":false,"code":200}"""));
        var handler = new ReplayHandler().Then(first).Then(second).Then(last);
        using var client = ArangoTestClients.Client(handler);

        var values = new List<int>();
        await foreach (var v in client.QueryAsync("FOR i IN 1..5 RETURN i", options: new ArangoQueryOptions { BatchSize = 2, Count = true }, cancellationToken: Ct))
        {
            values.Add(v.GetInt32());
        }
        Assert.Equal([1, 2, 3, 4, 5], values);
        Assert.Equal(3, handler.Requests.Count);
        var create = handler.Requests[0];
        Assert.Equal("/_db/_system/_api/cursor", create.Path);
        Assert.Equal("FOR i IN 1..5 RETURN i", create.Json!["query"]!.GetValue<string>());
        Assert.Equal(2, create.Json["batchSize"]!.GetValue<int>());
        Assert.True(create.Json["count"]!.GetValue<bool>());
        Assert.True(create.Json["options"]!["allowRetry"]!.GetValue<bool>());
        // The retry-safe form: POST /_api/cursor/{id}/{nextBatchId} with the batch ids the server handed out.
        Assert.Equal("POST", handler.Requests[1].Method);
        Assert.Equal(ArangoFixtures.Load("cursor-batch-retry.json").ExpectedPath, handler.Requests[1].Path);
        Assert.Equal("/_db/_system/_api/cursor/74308/3", handler.Requests[2].Path);
    }

    [Fact]
    public async Task Cursor_abandoned_early_is_deleted()
    {
        var delete = ArangoFixtures.Load("cursor-delete.json");
        var create = delete.Step("preceding_steps", 0);
        var handler = new ReplayHandler().Then(create).Then(delete);
        using var client = ArangoTestClients.Client(handler);
        await foreach (var doc in client.QueryAsync("FOR p IN products LIMIT 5 RETURN p", options: new ArangoQueryOptions { BatchSize = 2, Count = true }, cancellationToken: Ct))
        {
            Assert.Equal("world1", doc.GetProperty("hello1").GetString());
            break; // stop after the first result
        }
        Assert.Equal(2, handler.Requests.Count);
        AssertSent(create, handler.Requests[0], exactBody: false);
        AssertSent(delete, handler.Requests[1]);
    }

    [Fact]
    public async Task Cursor_fully_read_is_not_deleted()
    {
        var f = ArangoFixtures.Load("cursor-create-simple.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var (rows, last) = await client.QueryAllAsync(f.RequestBody!["query"]!.GetValue<string>(), cancellationToken: Ct);
        Assert.Equal(f.ResponseBody!["result"]!.AsArray().Count, rows.Count);
        Assert.False(last.HasMore);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Cursor_with_bind_variables_reads_write_stats()
    {
        var f = ArangoFixtures.Load("cursor-create-bindvars.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var body = f.RequestBody!.AsObject();
        var (_, last) = await client.QueryAllAsync(body["query"]!.GetValue<string>(), body["bindVars"]!.DeepClone().AsObject(), cancellationToken: Ct);
        AssertSent(f, handler.Requests[0], exactBody: false);
        Assert.Equal(f.ResponseBody!["extra"]!["stats"]!["writesExecuted"]!.GetValue<long>(), last.WritesExecuted);
    }

    [Fact]
    public async Task Cursor_on_missing_collection_is_not_found_1203()
    {
        var f = ArangoFixtures.Load("cursor-create-error-unknown-collection.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.QueryAllAsync("FOR u IN unknowncoll LIMIT 2 RETURN u", cancellationToken: Ct));
        Assert.Equal(ArangoErrorKind.NotFound, ex.Kind);
        Assert.Equal(1203, ex.ErrorNum);
        Assert.Contains("unknowncoll", ex.Message);
        Assert.Single(handler.Requests); // not retried
    }

    [Fact]
    public async Task Expired_cursor_is_not_found_1600()
    {
        var f = ArangoFixtures.Load("cursor-next-batch-post-error-not-found.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.NextBatchAsync("123123", null, Ct));
        Assert.Equal(1600, ex.ErrorNum);
        Assert.Contains("run the query again", ex.Message);
        AssertSent(f, handler.Requests[0]);
    }

    [Fact]
    public async Task Parse_error_1501_from_the_query_parser()
    {
        var f = ArangoFixtures.Load("query-parse-error-syntax.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.IsModificationQueryAsync(f.RequestBody!["query"]!.GetValue<string>(), Ct));
        Assert.Equal(ArangoErrorKind.Parse, ex.Kind);
        Assert.Equal(1501, ex.ErrorNum);
        Assert.Contains("errorNum 1501", ex.Message);
        Assert.Contains("position 1:26", ex.Message);
        AssertSent(f, handler.Requests[0]);
    }

    [Fact]
    public async Task Parse_error_1501_on_a_cursor()
    {
        // Hand-made: no recording of a cursor with a syntax error; the body is the recorded 1501 shape of query-parse-error-syntax.json.
        var shape = ArangoFixtures.Load("query-parse-error-syntax.json");
        var handler = new ReplayHandler().Then(Fixture.Respond(400, shape.ResponseBody));
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.QueryAllAsync("FOR i IN 1..100 FILTER i = 1 LIMIT 2 RETURN i * 3", cancellationToken: Ct));
        Assert.Equal(ArangoErrorKind.Parse, ex.Kind);
        Assert.Equal(400, ex.Code);
        Assert.Contains("Fix the AQL", ex.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Missing_bind_parameter_is_a_parse_error()
    {
        var f = ArangoFixtures.Load("explain-error-missing-bind-parameter.json");
        var handler = new ReplayHandler().Then(Fixture.Respond(f.Status, f.ResponseBody));
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.QueryAllAsync(f.RequestBody!["query"]!.GetValue<string>(), cancellationToken: Ct));
        Assert.Equal(ArangoErrorKind.Parse, ex.Kind);
        Assert.Equal(f.ResponseBody!["errorNum"]!.GetValue<int>(), ex.ErrorNum);
    }

    [Fact]
    public async Task Version_is_read()
    {
        var f = ArangoFixtures.Load("version.json");
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        Assert.Equal("3.12.10", await client.GetVersionAsync(Ct));
        AssertSent(f, handler.Requests[0]);
    }
}

/// <summary>Drop and list operations against their recordings.</summary>
public sealed class ArangoClientDropReplayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("database-drop.json")]
    [InlineData("collection-drop.json")]
    [InlineData("view-drop.json")]
    [InlineData("analyzer-delete.json")]
    [InlineData("analyzer-delete-force.json")]
    [InlineData("gharial-drop.json")]
    public async Task Drop_sends_the_recorded_request(string fixture)
    {
        var f = ArangoFixtures.Load(fixture);
        var handler = new ReplayHandler().Then(f);
        using var client = ArangoTestClients.Client(handler);
        var name = f.Path.Split('/')[^1];
        var ok = fixture switch
        {
            "database-drop.json" => await client.DropDatabaseAsync(name, Ct),
            "collection-drop.json" => await client.DropCollectionAsync(name, Ct),
            "view-drop.json" => await client.DropViewAsync(name, Ct),
            "analyzer-delete.json" => await client.DeleteAnalyzerAsync(name, cancellationToken: Ct),
            "analyzer-delete-force.json" => await client.DeleteAnalyzerAsync(name, force: true, Ct),
            _ => await client.DropGraphAsync(name, dropCollections: true, Ct),
        };
        Assert.True(ok);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("DELETE", sent.Method);
        Assert.Equal(f.ExpectedPath, sent.Path);
        Assert.Equal(f.Query.OrderBy(k => k.Key), sent.Query.OrderBy(k => k.Key));
    }

    [Fact]
    public async Task Dropping_what_does_not_exist_answers_false()
    {
        // The recorded 404/1203 body of an unknown collection, answered to a drop.
        var f = ArangoFixtures.Load("cursor-create-error-unknown-collection.json");
        var handler = new ReplayHandler().Then(Fixture.Respond(404, f.ResponseBody));
        using var client = ArangoTestClients.Client(handler);
        Assert.False(await client.DropCollectionAsync("unknowncoll", Ct));
    }

    [Fact]
    public async Task List_collections_skips_system_ones()
    {
        var f = ArangoFixtures.Load("collection-list.json");
        var handler = new ReplayHandler().Then(f).Then(f);
        using var client = ArangoTestClients.Client(handler);
        var user = await client.ListCollectionsAsync(cancellationToken: Ct);
        var all = await client.ListCollectionsAsync(includeSystem: true, Ct);
        Assert.DoesNotContain("_apps", user);
        Assert.Contains("_apps", all);
        Assert.True(user.Count > 0 && user.Count < all.Count);
        Assert.Equal(f.ExpectedPath, handler.Requests[0].Path);
    }
}
