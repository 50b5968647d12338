using System.Text.Json.Nodes;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// A hand-made ArangoDB for parity tests: it holds documents in memory and answers the store's own queries, told
/// apart by their text (the <see cref="AqlQueries"/> constants), by doing in C# what the AQL says. It is not an AQL
/// engine: a query it does not know fails the test. Envelopes follow the recorded cursor and document answers.
/// </summary>
internal sealed class ArangoFake
{
    public List<JsonObject> Runs { get; init; } = [];
    public List<JsonObject> Events { get; init; } = [];
    public List<JsonObject> Learnings { get; init; } = [];
    public List<JsonObject> Relations { get; init; } = [];

    public ReplayHandler Handler => field ??= new ReplayHandler(Answer);

    private HttpResponseMessage? Answer(SentRequest sent)
    {
        const string runPath = "/_db/script_logs/_api/document/script_runs/";
        if (sent.Method == "GET" && sent.Path.StartsWith(runPath, StringComparison.Ordinal))
        {
            var run = Run(Uri.UnescapeDataString(sent.Path[runPath.Length..]));
            return run is null ? ArangoFixtures.Load("document-get-error-not-found.json").ToHttpResponse() : Fixture.Respond(200, run.DeepClone());
        }
        if (sent.Method != "POST" || !sent.Path.EndsWith("/_api/cursor", StringComparison.Ordinal))
        {
            return null;
        }
        var query = sent.Json!["query"]!.GetValue<string>();
        var bind = sent.Json["bindVars"]?.AsObject() ?? [];
        JsonArray result = query switch
        {
            _ when query == AqlQueries.ListRuns => ListRuns(bind),
            _ when query == AqlQueries.ExecutionGraph => Graph(bind),
            _ when query == AqlQueries.ExecutionSummary => Summary(bind),
            _ when query == AqlQueries.FinalResponseEvent => new JsonArray([.. FinalEvent(S(bind, "execution")!).Select(p => p.DeepClone())]),
            _ => throw new InvalidOperationException("ArangoFake does not know this query: " + query),
        };
        return Fixture.Respond(201, new JsonObject
        {
            ["result"] = result, ["hasMore"] = false, ["cached"] = false, ["error"] = false, ["code"] = 201,
            ["extra"] = new JsonObject { ["warnings"] = new JsonArray(), ["stats"] = new JsonObject { ["writesExecuted"] = 0 } },
        });
    }

    private static string? S(JsonNode? o, string name) => o?[name]?.GetValue<string>();

    private JsonObject? Run(string key) => Runs.FirstOrDefault(r => S(r, "_key") == key);

    private List<JsonObject> EventsOf(string execution) =>
        [.. Events.Where(e => S(e, "execution_id") == execution).Select(WithId("log_events"))
            .OrderBy(e => S(e, "timestamp"), StringComparer.Ordinal).ThenBy(e => S(e, "_key"), StringComparer.Ordinal)];

    private static Func<JsonObject, JsonObject> WithId(string collection) => d =>
    {
        var copy = d.DeepClone().AsObject();
        copy["_id"] = collection + "/" + S(d, "_key");
        return copy;
    };

    private JsonArray ListRuns(JsonObject bind)
    {
        var statuses = bind["statuses"]?.AsArray().Select(s => s!.GetValue<string>()).ToHashSet();
        var rows = Runs
            .Where(r => bind["script"] is null || S(r, "script_name") == S(bind, "script"))
            .Where(r => statuses is null || statuses.Contains(S(r, "status")!))
            .Where(r => bind["since"] is null || string.CompareOrdinal(S(r, "start_time"), S(bind, "since")) >= 0)
            .OrderByDescending(r => S(r, "start_time"), StringComparer.Ordinal).ThenByDescending(r => S(r, "execution_id"), StringComparer.Ordinal)
            .Skip(bind["offset"]!.GetValue<int>()).Take(bind["limit"]!.GetValue<int>());
        return new JsonArray([.. rows.Select(r => (JsonNode?)r.DeepClone())]);
    }

    private JsonArray Graph(JsonObject bind)
    {
        var execution = S(bind, "execution")!;
        var events = EventsOf(execution).Take(bind["maxEvents"]!.GetValue<int>()).ToList();
        var learnings = Learnings.Where(l => S(l, "execution_id") == execution).Select(WithId("agent_learnings"))
            .OrderBy(l => S(l, "timestamp"), StringComparer.Ordinal).ThenBy(l => S(l, "_key"), StringComparer.Ordinal).ToList();
        var handles = new HashSet<string>([$"script_runs/{execution}", .. events.Select(e => S(e, "_id")!), .. learnings.Select(l => S(l, "_id")!)]);
        var stored = Relations.Where(r => handles.Contains(S(r, "_from")!) || handles.Contains(S(r, "_to")!));
        return [new JsonObject
        {
            ["run"] = Run(execution)?.DeepClone(),
            ["events"] = new JsonArray([.. events]),
            ["learnings"] = new JsonArray([.. learnings]),
            ["stored"] = new JsonArray([.. stored.Select(r => (JsonNode?)r.DeepClone())]),
        }];
    }

    private IEnumerable<JsonNode> FinalEvent(string execution) =>
        EventsOf(execution).Where(e => S(e, "log_category") == "SCRIPT_FINAL_RESPONSE" && e["payload"] is not null)
            .Reverse().Take(1).Select(e => e["payload"]!);

    private JsonArray Summary(JsonObject bind)
    {
        var execution = S(bind, "execution")!;
        var events = EventsOf(execution);
        return [new JsonObject
        {
            ["counts"] = new JsonArray([.. events.GroupBy(e => S(e, "level")).Select(g => (JsonNode?)new JsonObject { ["level"] = g.Key, ["n"] = g.Count() })]),
            ["span"] = events.Count == 0 ? null : new JsonObject { ["first"] = S(events[0], "timestamp"), ["last"] = S(events[^1], "timestamp") },
            ["errors"] = new JsonArray([.. events.Where(e => S(e, "level") is "ERROR" or "CRITICAL").Take(100)]),
            ["learnings"] = new JsonArray([.. Learnings.Where(l => S(l, "execution_id") == execution).Select(l => (JsonNode?)l.DeepClone())]),
            ["progress"] = new JsonArray([.. events.Where(e => S(e, "log_category") == "PROGRESS")]),
            ["finalEvent"] = FinalEvent(execution).FirstOrDefault()?.DeepClone(),
        }];
    }
}
