using AgentScript.Model;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>Column lists and readers that turn rows back into model records.</summary>
internal static class SqliteRows
{
    /// <summary>Event columns in the order <see cref="ReadEvent"/> reads them, for a table aliased <c>e</c>.</summary>
    public const string EventColumns =
        "e.id, e.event_id, e.timestamp, e.level, e.message, e.message_template, e.execution_id, e.script_name, " +
        "e.function_name, e.file_path, e.line_number, e.log_category, e.source, e.tags, e.span_id, e.parent_span_id, " +
        "e.correlation_id, e.extra, e.payload, e.exception, e.host, e.pid, e.thread_id";

    /// <summary>Number of columns in <see cref="EventColumns"/>.</summary>
    public const int EventColumnCount = 23;

    /// <summary>Run columns in the order <see cref="ReadRun"/> reads them, for a table aliased <c>r</c>.</summary>
    public const string RunColumns =
        "r.execution_id, r.script_name, r.mode, r.status, r.start_time, r.end_time, r.duration_ms, r.pid, r.host, " +
        "r.metadata, r.error, r.final_response, r.messages_logged, r.counts_by_level, r.progress, r.quality_score, " +
        "r.correlation_id, r.session_id, r.trace_id";

    /// <summary>Learning columns in the order <see cref="ReadLearning"/> reads them, for a table aliased <c>l</c>.</summary>
    public const string LearningColumns =
        "l.learning_id, l.timestamp, l.learning, l.execution_id, l.script_name, l.function_name, l.context, l.confidence";

    /// <summary>Relation columns in the order <see cref="ReadRelation"/> reads them.</summary>
    public const string RelationColumns =
        "relation_id, from_id, to_id, type, rationale, confidence, created_by, created_at, valid_from, valid_to";

    public static LogEventRecord ReadEvent(SqliteDataReader r, int o = 0) => new()
    {
        EventId = r.GetString(o + 1),
        Timestamp = SqliteTime.Parse(r.GetString(o + 2)),
        Level = r.GetString(o + 3),
        Message = r.GetString(o + 4),
        MessageTemplate = Str(r, o + 5),
        ExecutionId = Str(r, o + 6),
        ScriptName = Str(r, o + 7),
        FunctionName = Str(r, o + 8),
        FilePath = Str(r, o + 9),
        LineNumber = Int(r, o + 10),
        Category = r.GetString(o + 11),
        Source = Str(r, o + 12),
        Tags = SqliteJson.ReadTags(Str(r, o + 13)),
        SpanId = Str(r, o + 14),
        ParentSpanId = Str(r, o + 15),
        CorrelationId = Str(r, o + 16),
        ExtraJson = Str(r, o + 17),
        PayloadJson = Str(r, o + 18),
        Exception = SqliteJson.ReadException(Str(r, o + 19)),
        Host = Str(r, o + 20),
        Pid = Int(r, o + 21),
        ThreadId = Int(r, o + 22),
    };

    public static ScriptRun ReadRun(SqliteDataReader r, int o = 0) => new()
    {
        ExecutionId = r.GetString(o),
        ScriptName = r.GetString(o + 1),
        Mode = r.GetString(o + 2),
        Status = RunStatusNames.Parse(r.GetString(o + 3)),
        StartTime = SqliteTime.Parse(r.GetString(o + 4)),
        EndTime = Str(r, o + 5) is { } end ? SqliteTime.Parse(end) : null,
        DurationMs = r.IsDBNull(o + 6) ? null : r.GetDouble(o + 6),
        Pid = Int(r, o + 7) ?? 0,
        Host = Str(r, o + 8),
        MetadataJson = Str(r, o + 9),
        Error = SqliteJson.ReadException(Str(r, o + 10)),
        FinalResponseJson = Str(r, o + 11),
        MessagesLogged = r.IsDBNull(o + 12) ? 0 : r.GetInt64(o + 12),
        CountsByLevel = SqliteJson.ReadCounts(Str(r, o + 13)),
        Progress = SqliteJson.ReadProgress(Str(r, o + 14)),
        QualityScore = r.IsDBNull(o + 15) ? null : r.GetDouble(o + 15),
        CorrelationId = Str(r, o + 16),
        SessionId = Str(r, o + 17),
        TraceId = Str(r, o + 18),
    };

    public static AgentLearning ReadLearning(SqliteDataReader r, int o = 0) => new()
    {
        LearningId = r.GetString(o),
        Timestamp = SqliteTime.Parse(r.GetString(o + 1)),
        Learning = r.GetString(o + 2),
        ExecutionId = Str(r, o + 3),
        ScriptName = Str(r, o + 4),
        FunctionName = Str(r, o + 5),
        Context = Str(r, o + 6),
        Confidence = r.GetDouble(o + 7),
    };

    public static LogRelation ReadRelation(SqliteDataReader r) => new()
    {
        RelationId = r.GetString(0),
        From = r.GetString(1),
        To = r.GetString(2),
        Type = r.GetString(3),
        Rationale = Str(r, 4),
        Confidence = r.GetDouble(5),
        CreatedBy = Str(r, 6),
        CreatedAt = SqliteTime.Parse(r.GetString(7)),
        ValidFrom = Str(r, 8) is { } from ? SqliteTime.Parse(from) : null,
        ValidTo = Str(r, 9) is { } to ? SqliteTime.Parse(to) : null,
    };

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static int? Int(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
}
