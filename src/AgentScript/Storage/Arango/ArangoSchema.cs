using System.Text.Json.Nodes;
using AgentScript.Configuration;

namespace AgentScript.Storage.Arango;

/// <summary>
/// The ArangoDB schema of the store: collections (with JSON-schema rules and cluster options), indexes, the
/// BM25 view and the named graph. Names are fixed so every script of a user shares one database.
/// </summary>
internal static class ArangoSchema
{
    /// <summary>Schema version written by this code.</summary>
    public const int Version = 1;
    /// <summary>Log events.</summary>
    public const string Events = "log_events";
    /// <summary>Runs.</summary>
    public const string Runs = "script_runs";
    /// <summary>Learnings.</summary>
    public const string Learnings = "agent_learnings";
    /// <summary>Relations (edges).</summary>
    public const string Relations = "log_relations";
    /// <summary>The ArangoSearch view.</summary>
    public const string View = "log_events_view";
    /// <summary>The named graph over all four collections.</summary>
    public const string Graph = "log_relationships";

    /// <summary>All collections, documents first.</summary>
    public static IReadOnlyList<string> Collections { get; } = [Events, Runs, Learnings, Relations];

    /// <summary>
    /// Collection definitions. Every collection is sharded by <c>_key</c> (the default): <c>overwriteMode=ignore</c>
    /// — the idempotent replay — requires it, and a unique <c>event_id</c> could not be enforced when sharding by
    /// <c>execution_id</c> (docs/scaling.md).
    /// </summary>
    public static IReadOnlyList<ArangoCollectionOptions> CollectionDefinitions(ArangoOptions o) =>
    [
        Define(o, Events, false, Rule(["event_id", "timestamp", "level", "message", "log_category"], new JsonObject
        {
            ["event_id"] = Str(),
            ["timestamp"] = Str(),
            ["ts_unix"] = new JsonObject { ["type"] = "number" },
            ["level"] = new JsonObject { ["enum"] = new JsonArray("TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL") },
            ["message"] = Str(),
            ["log_category"] = Str(),
            ["execution_id"] = Str(),
            ["tags"] = new JsonObject { ["type"] = "array", ["items"] = Str() },
        }), "A log event needs event_id, timestamp (ISO string), level (TRACE…CRITICAL), message and log_category."),
        Define(o, Runs, false, Rule(["execution_id", "script_name", "start_time", "status"], new JsonObject
        {
            ["execution_id"] = Str(),
            ["script_name"] = Str(),
            ["start_time"] = Str(),
            ["status"] = new JsonObject { ["enum"] = new JsonArray("running", "success", "failed", "cancelled", "abandoned") },
            ["duration_ms"] = new JsonObject { ["type"] = new JsonArray("number", "null") },
        }), "A run needs execution_id, script_name, start_time and a status (running success failed cancelled abandoned)."),
        Define(o, Learnings, false, Rule(["learning_id", "timestamp", "learning"], new JsonObject
        {
            ["learning_id"] = Str(),
            ["timestamp"] = Str(),
            ["learning"] = Str(),
            ["confidence"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
        }), "A learning needs learning_id, timestamp and learning text; confidence is 0–1."),
        Define(o, Relations, true, Rule(["relation_id", "type"], new JsonObject
        {
            ["relation_id"] = Str(),
            ["type"] = Str(),
            ["confidence"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
        }), "A relation needs relation_id and type; confidence is 0–1."),
    ];

    private static ArangoCollectionOptions Define(ArangoOptions o, string name, bool edge, JsonObject rule, string message) => new()
    {
        Name = name,
        IsEdge = edge,
        SchemaRule = rule,
        SchemaLevel = "moderate",
        SchemaMessage = message,
        KeyType = "traditional",
        AllowUserKeys = true,
        NumberOfShards = o.NumberOfShards,
        ShardKeys = ["_key"],
        ReplicationFactor = o.ReplicationFactor,
        WriteConcern = o.WriteConcern,
    };

    private static JsonObject Str() => new() { ["type"] = "string" };

    private static JsonObject Rule(string[] required, JsonObject properties) => new()
    {
        ["type"] = "object",
        ["properties"] = properties,
        ["required"] = new JsonArray([.. required.Select(r => (JsonNode?)JsonValue.Create(r))]),
    };

    /// <summary>Indexes per collection (persistent indexes for what the queries filter on, plus TTL).</summary>
    public static IReadOnlyList<(string Collection, ArangoIndexDefinition Index)> Indexes(int retentionDays)
    {
        var list = new List<(string, ArangoIndexDefinition)>
        {
            (Events, ArangoIndexDefinition.Persistent("idx_events_execution_time", "execution_id", "timestamp")),
            (Events, ArangoIndexDefinition.Persistent("idx_events_level_time", "level", "timestamp")),
            (Events, ArangoIndexDefinition.Persistent("idx_events_script_time", "script_name", "timestamp")),
            (Events, ArangoIndexDefinition.Persistent("idx_events_seq", "seq")),
            // Prune by age or by category: without these a prune reads every event.
            (Events, ArangoIndexDefinition.Persistent("idx_events_time", "timestamp")),
            (Events, ArangoIndexDefinition.Persistent("idx_events_category_time", "log_category", "timestamp")),
            // execution_id last: the queries' tie-break, so the index order is the sort order (no sort step).
            (Runs, ArangoIndexDefinition.Persistent("idx_runs_script_start_id", "script_name", "start_time", "execution_id")),
            (Runs, ArangoIndexDefinition.Persistent("idx_runs_start_id", "start_time", "execution_id")),
            (Runs, ArangoIndexDefinition.Persistent("idx_runs_status_start_id", "status", "start_time", "execution_id")),
            (Learnings, ArangoIndexDefinition.Persistent("idx_learnings_execution", "execution_id")),
            (Learnings, ArangoIndexDefinition.Persistent("idx_learnings_time_id", "timestamp", "learning_id")),
            (Relations, ArangoIndexDefinition.Persistent("idx_relations_type", "type")),
        };
        if (retentionDays > 0)
        {
            // Events only: runs and learnings are small and worth keeping; `agentlog prune` removes them on purpose.
            // The retention is in the name, so start-up (which compares names) sees a changed LOG_RETENTION_DAYS.
            list.Add((Events, ArangoIndexDefinition.Ttl($"idx_events_ttl_{retentionDays}d", "ts_unix", retentionDays * 86_400L)));
        }
        return list;
    }

    /// <summary>
    /// The <c>arangosearch</c> view: <c>text_en</c> on the searchable text (message, exception, payload — and
    /// <c>search_text</c>, their concatenation, which the queries use so that a word matches whichever field holds it;
    /// any word of the search matches, and BM25 ranks events matching more words higher),
    /// <c>identity</c> on level, script and tags. Learnings are linked too, so one view serves both searches.
    /// </summary>
    public static JsonObject ViewDefinition()
    {
        static JsonObject Analyzed(string analyzer) => new() { ["analyzers"] = new JsonArray(analyzer) };
        return new JsonObject
        {
            ["name"] = View,
            ["type"] = "arangosearch",
            ["commitIntervalMsec"] = 1000,
            ["links"] = new JsonObject
            {
                [Events] = new JsonObject
                {
                    ["includeAllFields"] = false,
                    ["storeValues"] = "id",
                    ["fields"] = new JsonObject
                    {
                        ["search_text"] = Analyzed("text_en"),
                        ["message"] = Analyzed("text_en"),
                        ["exception"] = new JsonObject
                        {
                            ["fields"] = new JsonObject
                            {
                                ["type"] = Analyzed("text_en"),
                                ["message"] = Analyzed("text_en"),
                                ["stack_trace"] = Analyzed("text_en"),
                            },
                        },
                        ["payload"] = new JsonObject { ["analyzers"] = new JsonArray("text_en"), ["includeAllFields"] = true },
                        ["level"] = Analyzed("identity"),
                        ["script_name"] = Analyzed("identity"),
                        ["tags"] = Analyzed("identity"),
                        ["execution_id"] = Analyzed("identity"),
                        ["log_category"] = Analyzed("identity"),
                    },
                },
                [Learnings] = new JsonObject
                {
                    ["includeAllFields"] = false,
                    ["storeValues"] = "id",
                    ["fields"] = new JsonObject
                    {
                        ["search_text"] = Analyzed("text_en"),
                        ["learning"] = Analyzed("text_en"),
                        ["execution_id"] = Analyzed("identity"),
                        ["script_name"] = Analyzed("identity"),
                    },
                },
            },
        };
    }

    /// <summary>The edge definition of the named graph: any stored thing may relate to any other.</summary>
    public static IReadOnlyList<(string Collection, string[] From, string[] To)> GraphEdges { get; } =
        [(Relations, [Events, Runs, Learnings], [Events, Runs, Learnings])];
}
