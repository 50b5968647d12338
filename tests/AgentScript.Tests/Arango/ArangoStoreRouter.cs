using System.Text.Json.Nodes;

namespace AgentScript.Tests.Arango;

/// <summary>
/// Answers a store's requests by route. Successful management answers are the recorded fixtures; cursor answers
/// are hand-made (shape as recorded cursor answers) because store queries over our own collections were never recorded.
/// </summary>
internal static class ArangoStoreRouter
{
    public static Func<SentRequest, HttpResponseMessage?> Create(Func<SentRequest, JsonArray?>? cursorResults = null, JsonObject? runDocument = null)
    {
        return sent =>
        {
            var path = sent.Path;
            if (path.EndsWith("/_api/version", StringComparison.Ordinal))
            {
                return ArangoFixtures.Load("version.json").ToHttpResponse();
            }
            if (path.EndsWith("/_api/database/current", StringComparison.Ordinal))
            {
                return ArangoFixtures.Load("database-current.json").ToHttpResponse();
            }
            if (path.EndsWith("/_api/collection", StringComparison.Ordinal) && sent.Method == "GET")
            {
                // Recorded list (none of our collections in it): a new store.
                return ArangoFixtures.Load("collection-list.json").ToHttpResponse();
            }
            if (path.EndsWith("/_api/collection", StringComparison.Ordinal) && sent.Method == "POST")
            {
                return ArangoFixtures.Load("collection-create-document.json").ToHttpResponse();
            }
            if (path.EndsWith("/count", StringComparison.Ordinal))
            {
                return ArangoFixtures.Load("collection-get-count.json").ToHttpResponse();
            }
            if (path.EndsWith("/_api/index", StringComparison.Ordinal) && sent.Method == "POST")
            {
                return ArangoFixtures.Load(sent.Json!["type"]!.GetValue<string>() == "ttl" ? "index-create-ttl.json" : "index-create-persistent.json").ToHttpResponse();
            }
            if (path.EndsWith("/_api/view", StringComparison.Ordinal) && sent.Method == "POST")
            {
                return ArangoFixtures.Load("view-create-arangosearch.json").ToHttpResponse();
            }
            if (path.EndsWith("/_api/view/log_events_view/properties", StringComparison.Ordinal))
            {
                // Recorded properties answer with its links renamed to our collections (hand-edited).
                var f = ArangoFixtures.Load("view-get-properties-arangosearch.json");
                var body = f.ResponseBody!.DeepClone().AsObject();
                var link = body["links"]!.AsObject().First().Value!.DeepClone();
                body["links"] = new JsonObject { ["log_events"] = link, ["agent_learnings"] = link.DeepClone() };
                body["name"] = "log_events_view";
                return Fixture.Respond(200, body);
            }
            if (path.EndsWith("/_api/gharial", StringComparison.Ordinal))
            {
                return ArangoFixtures.Load("gharial-create.json").ToHttpResponse();
            }
            if (path.Contains("/_api/document/script_runs/", StringComparison.Ordinal))
            {
                return runDocument is null
                    ? ArangoFixtures.Load("document-get-error-not-found.json").ToHttpResponse()
                    : Fixture.Respond(200, runDocument.DeepClone());
            }
            if (path.Contains("/_api/document/", StringComparison.Ordinal) && sent.Method == "POST")
            {
                // Hand-made: one success per item, shape as document-create-array.json.
                var items = sent.Json!.AsArray();
                return Fixture.Respond(202, new JsonArray([.. items.Select(i => (JsonNode?)new JsonObject
                {
                    ["_id"] = "x/" + i!["_key"], ["_key"] = i["_key"]!.DeepClone(), ["_rev"] = "_l6zhVVS---",
                })]));
            }
            if (path.EndsWith("/_api/query", StringComparison.Ordinal))
            {
                // Hand-made parse answer: a read-only syntax tree.
                return Fixture.Respond(200, JsonNode.Parse("""{"error":false,"code":200,"parsed":true,"collections":[],"bindVars":[],"ast":[{"type":"root","subNodes":[{"type":"return","subNodes":[{"type":"value","value":1}]}]}]}"""));
            }
            if (path.EndsWith("/_api/cursor", StringComparison.Ordinal))
            {
                var query = sent.Json!["query"]!.GetValue<string>();
                var result = cursorResults?.Invoke(sent) ?? DefaultResult(query);
                // A removing query "removes" one document per handle it is given (hand-made statistics).
                var writes = query.Contains("REMOVE", StringComparison.Ordinal) && sent.Json["bindVars"]?["handles"] is JsonArray handles ? handles.Count : 0;
                return Fixture.Respond(201, new JsonObject
                {
                    ["result"] = result, ["hasMore"] = false, ["cached"] = false,
                    ["extra"] = new JsonObject { ["warnings"] = new JsonArray(), ["stats"] = new JsonObject { ["writesExecuted"] = writes } },
                    ["error"] = false, ["code"] = 201,
                });
            }
            return null;
        };
    }

    /// <summary>Empty but well-formed results for each kind of store query.</summary>
    public static JsonArray DefaultResult(string query)
    {
        if (query.Contains("RETURN { counts:", StringComparison.Ordinal))
        {
            return [new JsonObject { ["counts"] = new JsonArray(), ["span"] = null, ["errors"] = new JsonArray(), ["learnings"] = new JsonArray(), ["progress"] = new JsonArray() }];
        }
        if (query.Contains("stored: stored", StringComparison.Ordinal))
        {
            return [new JsonObject { ["run"] = null, ["events"] = new JsonArray(), ["learnings"] = new JsonArray(), ["stored"] = new JsonArray() }];
        }
        if (query.Contains("RETURN { runs: runs, errors: errors }", StringComparison.Ordinal))
        {
            return [new JsonObject { ["runs"] = new JsonArray(), ["errors"] = new JsonArray() }];
        }
        if (query.Contains("COLLECT WITH COUNT INTO n", StringComparison.Ordinal) && !query.Contains("LET counts", StringComparison.Ordinal))
        {
            return [0];
        }
        return [];
    }
}
