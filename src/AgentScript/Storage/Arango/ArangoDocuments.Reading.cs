// Job: ArangoDB documents read back as the model.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Arango;

internal static partial class ArangoDocuments
{
    /// <summary>An event from its document.</summary>
    public static LogEventRecord ToEvent(JsonElement d) => new()
    {
        EventId = Str(d, "event_id") ?? Str(d, "_key")!,
        Timestamp = ParseTime(Str(d, "timestamp")!),
        Level = Str(d, "level") ?? LogLevels.Info,
        Message = Str(d, "message") ?? "",
        MessageTemplate = Str(d, "message_template"),
        ExecutionId = Str(d, "execution_id"),
        ScriptName = Str(d, "script_name"),
        FunctionName = Str(d, "function_name"),
        FilePath = Str(d, "file_path"),
        LineNumber = Int(d, "line_number"),
        Category = Str(d, "log_category") ?? Str(d, "level") ?? LogLevels.Info,
        Source = Str(d, "source"),
        Tags = d.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray().Select(x => x.ToString())] : null,
        SpanId = Str(d, "span_id"),
        ParentSpanId = Str(d, "parent_span_id"),
        CorrelationId = Str(d, "correlation_id"),
        ExtraJson = Json(d, "extra"),
        PayloadJson = Json(d, "payload"),
        Exception = ToException(d, "exception"),
        Host = Str(d, "host"),
        Pid = Int(d, "pid"),
        ThreadId = Int(d, "thread_id"),
    };

    /// <summary>A run from its document (the stored status; liveness is checked by the store).</summary>
    public static ScriptRun ToRun(JsonElement d) => new()
    {
        ExecutionId = Str(d, "execution_id") ?? Str(d, "_key")!,
        ScriptName = Str(d, "script_name") ?? "",
        Mode = Str(d, "mode") ?? "",
        Status = RunStatusNames.Parse(Str(d, "status") ?? "running"),
        StartTime = ParseTime(Str(d, "start_time")!),
        EndTime = Str(d, "end_time") is { } end ? ParseTime(end) : null,
        DurationMs = Dbl(d, "duration_ms"),
        Pid = Int(d, "pid") ?? 0,
        Host = Str(d, "host"),
        MetadataJson = Json(d, "metadata"),
        Error = ToException(d, "error"),
        FinalResponseJson = Json(d, "final_response"),
        MessagesLogged = d.TryGetProperty("messages_logged", out var m) && m.TryGetInt64(out var ml) ? ml : 0,
        CountsByLevel = d.TryGetProperty("counts_by_level", out var c) && c.ValueKind == JsonValueKind.Object
            ? c.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.TryGetInt64(out var n) ? n : 0)
            : new Dictionary<string, long>(),
        Progress = d.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object ? ToProgress(p) : null,
        QualityScore = Dbl(d, "quality_score"),
        CorrelationId = Str(d, "correlation_id"),
        SessionId = Str(d, "session_id"),
        TraceId = Str(d, "trace_id"),
    };

    /// <summary>A progress sub-document.</summary>
    public static RunProgress ToProgress(JsonElement p) =>
        new(Str(p, "stage") ?? "", Dbl(p, "percent") ?? 0, Str(p, "time") is { } t ? ParseTime(t) : DateTimeOffset.UnixEpoch, Json(p, "metadata"));

    /// <summary>A learning from its document.</summary>
    public static AgentLearning ToLearning(JsonElement d) => new()
    {
        LearningId = Str(d, "learning_id") ?? Str(d, "_key")!,
        Timestamp = ParseTime(Str(d, "timestamp")!),
        Learning = Str(d, "learning") ?? "",
        ExecutionId = Str(d, "execution_id"),
        ScriptName = Str(d, "script_name"),
        FunctionName = Str(d, "function_name"),
        Context = Str(d, "context"),
        Confidence = Dbl(d, "confidence") ?? 0.8,
    };

    /// <summary>A relation from its edge.</summary>
    public static LogRelation ToRelation(JsonElement d) => new()
    {
        RelationId = Str(d, "relation_id") ?? Str(d, "_key")!,
        From = Str(d, "_from")!,
        To = Str(d, "_to")!,
        Type = Str(d, "type") ?? RelationTypes.RelatedTo,
        Rationale = Str(d, "rationale"),
        Confidence = Dbl(d, "confidence") ?? 1.0,
        CreatedBy = Str(d, "created_by"),
        CreatedAt = Str(d, "created_at") is { } c ? ParseTime(c) : DateTimeOffset.UnixEpoch,
        ValidFrom = Str(d, "valid_from") is { } vf ? ParseTime(vf) : null,
        ValidTo = Str(d, "valid_to") is { } vt ? ParseTime(vt) : null,
    };

    private static ExceptionInfo? ToException(JsonElement d, string name) =>
        d.TryGetProperty(name, out var x) && x.ValueKind == JsonValueKind.Object
            ? new ExceptionInfo(Str(x, "type") ?? "", Str(x, "message") ?? "", Str(x, "stack_trace"))
            : null;

    /// <summary>A string property, or null.</summary>
    public static string? Str(JsonElement d, string name) =>
        d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
            : null;

    private static int? Int(JsonElement d, string name) =>
        d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    /// <summary>A number property, or null.</summary>
    public static double? Dbl(JsonElement d, string name) =>
        d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string? Json(JsonElement d, string name) =>
        d.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v.GetRawText() : null;

    /// <summary>Kind of node for a document handle.</summary>
    public static string KindOf(string handle) => handle.Split('/')[0] switch
    {
        "log_events" => "event",
        "script_runs" => "run",
        "agent_learnings" => "learning",
        var other => other,
    };
}
