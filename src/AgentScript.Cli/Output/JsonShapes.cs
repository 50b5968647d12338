using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Cli.Output;

/// <summary>
/// The stable, snake_case JSON shapes of <c>--json</c> output (documented in docs/cli.md). Built by hand rather
/// than by reflection so that a renamed C# property cannot silently change what agents parse.
/// </summary>
internal static class JsonShapes
{
    /// <summary>Indented output for command results.</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One line per value (JSONL, streams).</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>ISO-8601 UTC with sub-millisecond precision.</summary>
    public static string? Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Stored JSON text as a JSON value (or the text as a string when it is not valid JSON).</summary>
    public static JsonNode? Embedded(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    /// <summary>A raw query value.</summary>
    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        short sh => JsonValue.Create(sh),
        byte by => JsonValue.Create(by),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        float f => JsonValue.Create(f),
        decimal m => JsonValue.Create(m),
        DateTimeOffset dto => JsonValue.Create(Time(dto)),
        DateTime dt => JsonValue.Create(Time(new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)))),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        JsonNode node => node.DeepClone(),
        JsonElement el => JsonNode.Parse(el.GetRawText()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>An exception.</summary>
    public static JsonNode? Exception(ExceptionInfo? e) => e is null ? null : new JsonObject
    {
        ["type"] = e.Type,
        ["message"] = e.Message,
        ["stack_trace"] = e.StackTrace,
    };

    /// <summary>A log event (<c>log_events</c> field names).</summary>
    public static JsonObject Event(LogEventRecord e) => new()
    {
        ["event_id"] = e.EventId,
        ["timestamp"] = Time(e.Timestamp),
        ["level"] = e.Level,
        ["log_category"] = e.Category,
        ["message"] = e.Message,
        ["message_template"] = e.MessageTemplate,
        ["execution_id"] = e.ExecutionId,
        ["script_name"] = e.ScriptName,
        ["function_name"] = e.FunctionName,
        ["file_path"] = e.FilePath,
        ["line_number"] = e.LineNumber,
        ["source"] = e.Source,
        ["tags"] = e.Tags is null ? null : new JsonArray(e.Tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        ["span_id"] = e.SpanId,
        ["parent_span_id"] = e.ParentSpanId,
        ["correlation_id"] = e.CorrelationId,
        ["extra"] = Embedded(e.ExtraJson),
        ["payload"] = Embedded(e.PayloadJson),
        ["exception"] = Exception(e.Exception),
        ["host"] = e.Host,
        ["pid"] = e.Pid,
        ["thread_id"] = e.ThreadId,
    };

    /// <summary>A progress report.</summary>
    public static JsonNode? Progress(RunProgress? p) => p is null ? null : new JsonObject
    {
        ["stage"] = p.Stage,
        ["percent"] = p.Percent,
        ["time"] = Time(p.Time),
        ["metadata"] = Embedded(p.MetadataJson),
    };

    /// <summary>Counts keyed by name.</summary>
    public static JsonObject Counts(IReadOnlyDictionary<string, long> counts)
    {
        var o = new JsonObject();
        foreach (var (k, v) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }
        return o;
    }

    /// <summary>A run (<c>script_runs</c> field names).</summary>
    public static JsonObject Run(ScriptRun r) => new()
    {
        ["execution_id"] = r.ExecutionId,
        ["script_name"] = r.ScriptName,
        ["mode"] = r.Mode,
        ["status"] = r.Status.ToName(),
        ["start_time"] = Time(r.StartTime),
        ["end_time"] = Time(r.EndTime),
        ["duration_ms"] = r.DurationMs,
        ["pid"] = r.Pid,
        ["host"] = r.Host,
        ["metadata"] = Embedded(r.MetadataJson),
        ["error"] = Exception(r.Error),
        ["final_response"] = Embedded(r.FinalResponseJson),
        ["messages_logged"] = r.MessagesLogged,
        ["counts_by_level"] = Counts(r.CountsByLevel),
        ["progress"] = Progress(r.Progress),
        ["quality_score"] = r.QualityScore,
        ["correlation_id"] = r.CorrelationId,
        ["session_id"] = r.SessionId,
        ["trace_id"] = r.TraceId,
    };

    /// <summary>A learning (<c>agent_learnings</c> field names).</summary>
    public static JsonObject Learning(AgentLearning l) => new()
    {
        ["learning_id"] = l.LearningId,
        ["timestamp"] = Time(l.Timestamp),
        ["learning"] = l.Learning,
        ["execution_id"] = l.ExecutionId,
        ["script_name"] = l.ScriptName,
        ["function_name"] = l.FunctionName,
        ["context"] = l.Context,
        ["confidence"] = l.Confidence,
    };

    /// <summary>A relation (<c>log_relations</c> field names).</summary>
    public static JsonObject Relation(LogRelation r) => new()
    {
        ["relation_id"] = r.RelationId,
        ["from"] = r.From,
        ["to"] = r.To,
        ["type"] = r.Type,
        ["rationale"] = r.Rationale,
        ["confidence"] = r.Confidence,
        ["created_by"] = r.CreatedBy,
        ["created_at"] = Time(r.CreatedAt),
        ["valid_from"] = Time(r.ValidFrom),
        ["valid_to"] = Time(r.ValidTo),
    };

    /// <summary>A graph (nodes and edges).</summary>
    public static JsonObject Graph(ExecutionGraph g) => new()
    {
        ["execution_id"] = g.ExecutionId,
        ["nodes"] = new JsonArray(g.Nodes.Select(n => (JsonNode?)new JsonObject
        {
            ["id"] = n.Id,
            ["kind"] = n.Kind,
            ["label"] = n.Label,
            ["level"] = n.Level,
            ["timestamp"] = Time(n.Timestamp),
        }).ToArray()),
        ["edges"] = new JsonArray(g.Edges.Select(e => (JsonNode?)new JsonObject
        {
            ["from"] = e.From,
            ["to"] = e.To,
            ["type"] = e.Type,
            ["rationale"] = e.Rationale,
            ["confidence"] = e.Confidence,
            ["stored"] = e.Stored,
        }).ToArray()),
    };

    /// <summary>Store information from <see cref="IAgentLogStore.InitializeAsync"/>.</summary>
    public static JsonObject StoreInfo(StoreInfo info) => new()
    {
        ["kind"] = info.Kind,
        ["location"] = info.Location,
        ["schema_version"] = info.SchemaVersion,
        ["created"] = info.Created,
        ["counts"] = Counts(info.Counts),
    };

    /// <summary>A list of nodes as a JSON array.</summary>
    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) =>
        new(items.Select(map).ToArray());
}
