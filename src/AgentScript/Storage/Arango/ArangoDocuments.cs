using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Arango;

/// <summary>
/// Maps the model to ArangoDB documents and back. Field names are the snake_case names of DESIGN.md; the
/// document key is the record's id (<c>event_id</c>, <c>execution_id</c>, <c>learning_id</c>, <c>relation_id</c>).
/// Extra fields: <c>ts_unix</c> (Unix seconds, for the TTL index and time windows), <c>seq</c> (insertion
/// position for streaming), <c>search_text</c> (everything searchable, for the BM25 view).
/// </summary>
internal static class ArangoDocuments
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Fixed-width UTC ISO-8601 with 100 ns precision, so string order is time order.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a stored time.</summary>
    public static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Unix seconds with sub-millisecond fraction.</summary>
    public static double UnixSeconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>An event document at insertion position <paramref name="seq"/> (see <see cref="ArangoSequence"/>).</summary>
    public static JsonObject FromEvent(LogEventRecord e, long seq)
    {
        var doc = new JsonObject
        {
            ["_key"] = e.EventId,
            ["event_id"] = e.EventId,
            ["timestamp"] = Time(e.Timestamp),
            ["ts_unix"] = UnixSeconds(e.Timestamp),
            ["seq"] = seq,
            ["level"] = e.Level,
            ["message"] = e.Message,
            ["log_category"] = e.Category,
        };
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

    /// <summary>
    /// Makes attribute names safe for AQL paths and index fields: <c>.</c> and <c>$</c> become <c>_</c>, recursively
    /// (an empty name becomes <c>_empty</c>). Two names that collide after renaming both survive: later ones get
    /// a <c>_2</c>, <c>_3</c>… suffix.
    /// </summary>
    public static JsonNode? SafeKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o.ToList())
                {
                    var safe = SafeKey(key);
                    var name = safe;
                    for (var i = 2; result.ContainsKey(name); i++) name = $"{safe}_{i}";
                    o.Remove(key);
                    result[name] = SafeKeys(value);
                }
                return result;
            case JsonArray a:
                var items = a.ToList();
                a.Clear();
                return new JsonArray([.. items.Select(SafeKeys)]);
            default:
                return node;
        }
    }

    /// <summary>One attribute name made safe.</summary>
    public static string SafeKey(string key) => key.Length == 0 ? "_empty" : key.Replace('.', '_').Replace('$', '_');

    /// <summary>Parses JSON text; text that is not JSON is kept as a string value (wrapped as <c>{"value": …}</c> for extra).</summary>
    public static JsonNode? ParseJson(string text, bool wrapNonObject)
    {
        JsonNode? node;
        try
        {
            // Duplicates are checked while parsing: JsonNode would otherwise accept them and throw later, on first access.
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            try
            {
                // Valid JSON with duplicate attribute names (the sanitizer never writes them; older rows or other
                // writers may): keep each one, suffixed.
                using var doc = JsonDocument.Parse(text);
                node = FromElement(doc.RootElement);
            }
            catch (JsonException)
            {
                node = JsonValue.Create(text);
            }
        }
        return wrapNonObject && node is not JsonObject ? new JsonObject { ["value"] = node } : node;
    }

    private static JsonNode? FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject())
                {
                    var name = p.Name;
                    for (var i = 2; o.ContainsKey(name); i++) name = $"{p.Name}_{i}";
                    o[name] = FromElement(p.Value);
                }
                return o;
            case JsonValueKind.Array:
                return new JsonArray([.. e.EnumerateArray().Select(FromElement)]);
            default:
                return JsonNode.Parse(e.GetRawText());
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

    // ---- reading back ----

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

    /// <summary>Converts a caller's bind value to JSON (strings, numbers, booleans, times, sequences, JSON).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create(f),
        decimal m => JsonValue.Create(m),
        short sh => JsonValue.Create(sh),
        byte by => JsonValue.Create(by),
        uint ui => JsonValue.Create(ui),
        ulong ul => JsonValue.Create(ul),
        DateTimeOffset t => JsonValue.Create(Time(t)),
        DateTime t => JsonValue.Create(Time(new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind)))),
        Guid g => JsonValue.Create(g.ToString("N")),
        Enum en => JsonValue.Create(en.ToString()),
        System.Collections.IDictionary dict => DictToNode(dict),
        System.Collections.IEnumerable seq => new JsonArray([.. seq.Cast<object?>().Select(ToNode)]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static JsonObject DictToNode(System.Collections.IDictionary dict)
    {
        var o = new JsonObject();
        foreach (System.Collections.DictionaryEntry entry in dict)
        {
            o[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
        }
        return o;
    }
}
