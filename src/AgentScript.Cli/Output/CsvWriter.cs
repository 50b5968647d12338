using System.Globalization;
using AgentScript.Model;

namespace AgentScript.Cli.Output;

/// <summary>RFC 4180 CSV rows for events and runs (fields with commas, quotes or line breaks are quoted).</summary>
internal static class CsvWriter
{
    /// <summary>Event columns, in order.</summary>
    public static readonly string[] EventColumns =
    [
        "position", "event_id", "timestamp", "level", "log_category", "execution_id", "script_name", "function_name",
        "message", "exception_type", "exception_message", "span_id", "parent_span_id", "correlation_id", "source",
        "host", "pid", "thread_id", "extra", "payload",
    ];

    /// <summary>Run columns, in order.</summary>
    public static readonly string[] RunColumns =
    [
        "execution_id", "script_name", "mode", "status", "start_time", "end_time", "duration_ms", "messages_logged",
        "errors", "error_type", "error_message", "progress_stage", "progress_percent", "quality_score", "host", "pid",
        "final_response",
    ];

    /// <summary>Writes a header row.</summary>
    public static void Header(TextWriter w, IEnumerable<string> columns) => Row(w, columns);

    /// <summary>Writes one event.</summary>
    public static void Event(TextWriter w, long position, LogEventRecord e) => Row(w,
    [
        position.ToString(CultureInfo.InvariantCulture), e.EventId, JsonShapes.Time(e.Timestamp), e.Level, e.Category,
        e.ExecutionId, e.ScriptName, e.FunctionName, e.Message, e.Exception?.Type, e.Exception?.Message, e.SpanId,
        e.ParentSpanId, e.CorrelationId, e.Source, e.Host, e.Pid?.ToString(CultureInfo.InvariantCulture),
        e.ThreadId?.ToString(CultureInfo.InvariantCulture), e.ExtraJson, e.PayloadJson,
    ]);

    /// <summary>Writes one run.</summary>
    public static void Run(TextWriter w, ScriptRun r) => Row(w,
    [
        r.ExecutionId, r.ScriptName, r.Mode, r.Status.ToName(), JsonShapes.Time(r.StartTime), JsonShapes.Time(r.EndTime),
        r.DurationMs?.ToString("R", CultureInfo.InvariantCulture), r.MessagesLogged.ToString(CultureInfo.InvariantCulture),
        Commands.RunsCommand.ErrorCount(r).ToString(CultureInfo.InvariantCulture), r.Error?.Type, r.Error?.Message,
        r.Progress?.Stage, r.Progress?.Percent.ToString("R", CultureInfo.InvariantCulture),
        r.QualityScore?.ToString("R", CultureInfo.InvariantCulture), r.Host, r.Pid.ToString(CultureInfo.InvariantCulture),
        r.FinalResponseJson,
    ]);

    private static void Row(TextWriter w, IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var f in fields)
        {
            if (!first)
            {
                w.Write(',');
            }
            first = false;
            w.Write(Escape(f));
        }
        w.Write("\r\n");
    }

    /// <summary>One field, quoted when needed.</summary>
    internal static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
