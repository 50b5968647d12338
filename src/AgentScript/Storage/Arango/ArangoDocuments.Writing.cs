// Job: the model as ArangoDB documents (events, runs, progress, learnings, relations).
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Arango;

internal static partial class ArangoDocuments
{
    /// <summary>An event document.</summary>
    /// <remarks>Without <paramref name="seq"/> the document has no stream position (tests of the mapping only).</remarks>
    public static JsonObject FromEvent(LogEventRecord e, long? seq = null)
    {
        var doc = new JsonObject
        {
            ["_key"] = e.EventId,
            ["event_id"] = e.EventId,
            ["timestamp"] = Time(e.Timestamp),
            ["ts_unix"] = UnixSeconds(e.Timestamp),
            ["level"] = e.Level,
            ["message"] = e.Message,
            ["log_category"] = e.Category,
        };
        if (seq is { } position) doc["seq"] = position;
        Put(doc, "message_template", e.MessageTemplate);
        Put(doc, "execution_id", e.ExecutionId);
        Put(doc, "script_name", e.ScriptName);
        Put(doc, "function_name", e.FunctionName);
        Put(doc, "file_path", e.FilePath);
        if (e.LineNumber is { } line) doc["line_number"] = line;
        Put(doc, "source", e.Source);
        if (e.Tags is { Count: > 0 }) doc["tags"] = new JsonArray([.. e.Tags.Select(t => (JsonNode?)JsonValue.Create(t))]);
        Put(doc, "span_id", e.SpanId);
        Put(doc, "parent_span_id", e.ParentSpanId);
        Put(doc, "correlation_id", e.CorrelationId);
        if (e.ExtraJson is not null) doc["extra"] = SafeKeys(ParseJson(e.ExtraJson, wrapNonObject: true));
        if (e.PayloadJson is not null) doc["payload"] = SafeKeys(ParseJson(e.PayloadJson, wrapNonObject: false));
        if (e.Exception is not null) doc["exception"] = FromException(e.Exception);
        Put(doc, "host", e.Host);
        if (e.Pid is { } pid) doc["pid"] = pid;
        if (e.ThreadId is { } tid) doc["thread_id"] = tid;
        doc["search_text"] = SearchText(e);
        return doc;
    }

    /// <summary>Message, exception and every string in the payload, for the text_en-analysed <c>search_text</c>.</summary>
    public static string SearchText(LogEventRecord e)
    {
        var sb = new StringBuilder(e.Message);
        if (e.Exception is { } ex)
        {
            sb.Append('\n').Append(ex.Type).Append('\n').Append(ex.Message);
            if (ex.StackTrace is not null) sb.Append('\n').Append(ex.StackTrace);
        }
        if (e.PayloadJson is not null) AppendStrings(sb, ParseJson(e.PayloadJson, wrapNonObject: false));
        return sb.ToString();
    }

    private static void AppendStrings(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o) AppendStrings(sb, v);
                break;
            case JsonArray a:
                foreach (var v in a) AppendStrings(sb, v);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                sb.Append('\n').Append(v.GetValue<string>());
                break;
            case JsonValue v:
                sb.Append('\n').Append(v.ToJsonString());
                break;
        }
    }

    private static JsonObject FromException(ExceptionInfo ex)
    {
        var o = new JsonObject { ["type"] = ex.Type, ["message"] = ex.Message };
        Put(o, "stack_trace", ex.StackTrace);
        return o;
    }

    /// <summary>A run document (start).</summary>
    public static JsonObject FromRun(ScriptRun r)
    {
        var doc = new JsonObject
        {
            ["_key"] = r.ExecutionId,
            ["execution_id"] = r.ExecutionId,
            ["script_name"] = r.ScriptName,
            ["mode"] = r.Mode,
            ["status"] = r.Status.ToName(),
            ["start_time"] = Time(r.StartTime),
            ["start_unix"] = UnixSeconds(r.StartTime),
            ["pid"] = r.Pid,
            ["messages_logged"] = r.MessagesLogged,
            ["counts_by_level"] = Counts(r.CountsByLevel),
        };
        if (r.EndTime is { } end) doc["end_time"] = Time(end);
        if (r.DurationMs is { } d) doc["duration_ms"] = d;
        Put(doc, "host", r.Host);
        if (r.MetadataJson is not null) doc["metadata"] = SafeKeys(ParseJson(r.MetadataJson, wrapNonObject: true));
        if (r.Error is not null) doc["error"] = FromException(r.Error);
        if (r.FinalResponseJson is not null) doc["final_response"] = SafeKeys(ParseJson(r.FinalResponseJson, wrapNonObject: false));
        if (r.Progress is not null) doc["progress"] = FromProgress(r.Progress);
        if (r.QualityScore is { } q) doc["quality_score"] = q;
        Put(doc, "correlation_id", r.CorrelationId);
        Put(doc, "session_id", r.SessionId);
        Put(doc, "trace_id", r.TraceId);
        return doc;
    }

    /// <summary>The progress sub-document.</summary>
    public static JsonObject FromProgress(RunProgress p)
    {
        var o = new JsonObject { ["stage"] = p.Stage, ["percent"] = p.Percent, ["time"] = Time(p.Time) };
        if (p.MetadataJson is not null) o["metadata"] = SafeKeys(ParseJson(p.MetadataJson, wrapNonObject: true));
        return o;
    }

    /// <summary>The fields an <see cref="RunEnd"/> sets.</summary>
    public static JsonObject FromRunEnd(RunEnd end)
    {
        var o = new JsonObject
        {
            ["status"] = end.Status.ToName(),
            ["end_time"] = Time(end.EndTime),
            ["duration_ms"] = end.DurationMs,
            ["messages_logged"] = end.MessagesLogged,
            ["counts_by_level"] = Counts(end.CountsByLevel),
            ["error"] = end.Error is null ? null : FromException(end.Error),
        };
        if (end.QualityScore is { } q) o["quality_score"] = q;
        return o;
    }

    private static JsonObject Counts(IReadOnlyDictionary<string, long> counts)
    {
        var o = new JsonObject();
        foreach (var (k, v) in counts) o[k] = v;
        return o;
    }

    /// <summary>A learning document.</summary>
    public static JsonObject FromLearning(AgentLearning l)
    {
        var doc = new JsonObject
        {
            ["_key"] = l.LearningId,
            ["learning_id"] = l.LearningId,
            ["timestamp"] = Time(l.Timestamp),
            ["ts_unix"] = UnixSeconds(l.Timestamp),
            ["learning"] = l.Learning,
            ["confidence"] = l.Confidence,
        };
        Put(doc, "execution_id", l.ExecutionId);
        Put(doc, "script_name", l.ScriptName);
        Put(doc, "function_name", l.FunctionName);
        Put(doc, "context", l.Context);
        doc["search_text"] = string.Join('\n', new[] { l.Learning, l.Context, l.FunctionName }.Where(s => !string.IsNullOrEmpty(s)));
        return doc;
    }

    /// <summary>A relation edge.</summary>
    public static JsonObject FromRelation(LogRelation r)
    {
        var doc = new JsonObject
        {
            ["_key"] = r.RelationId,
            ["relation_id"] = r.RelationId,
            ["_from"] = r.From,
            ["_to"] = r.To,
            ["type"] = r.Type,
            ["confidence"] = r.Confidence,
            ["created_at"] = Time(r.CreatedAt),
        };
        Put(doc, "rationale", r.Rationale);
        Put(doc, "created_by", r.CreatedBy);
        if (r.ValidFrom is { } vf) doc["valid_from"] = Time(vf);
        if (r.ValidTo is { } vt) doc["valid_to"] = Time(vt);
        return doc;
    }

    private static void Put(JsonObject o, string name, string? value)
    {
        if (value is not null) o[name] = value;
    }
}
