namespace AgentScript.Model;

/// <summary>One stored log event (<c>log_events</c>). Field names in the stores are the snake_case forms.</summary>
public sealed record LogEventRecord
{
    /// <summary>Stable unique id; inserting the same id twice is a no-op, which makes replays idempotent.</summary>
    public required string EventId { get; init; }
    /// <summary>When the event was logged (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>One of <see cref="LogLevels.All"/>.</summary>
    public required string Level { get; init; }
    /// <summary>The rendered message.</summary>
    public required string Message { get; init; }
    /// <summary>The Serilog message template.</summary>
    public string? MessageTemplate { get; init; }
    /// <summary>The run this event belongs to; absent outside a run.</summary>
    public string? ExecutionId { get; init; }
    /// <summary>The script that logged it.</summary>
    public string? ScriptName { get; init; }
    /// <summary>The method that logged it (traced spans set it).</summary>
    public string? FunctionName { get; init; }
    /// <summary>Source file of the call site, when known.</summary>
    public string? FilePath { get; init; }
    /// <summary>Line of the call site, when known.</summary>
    public int? LineNumber { get; init; }
    /// <summary>Category: <see cref="LogCategories"/> or the level name.</summary>
    public required string Category { get; init; }
    /// <summary>Component or source context.</summary>
    public string? Source { get; init; }
    /// <summary>Free tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>The traced span the event was logged in.</summary>
    public string? SpanId { get; init; }
    /// <summary>The enclosing span.</summary>
    public string? ParentSpanId { get; init; }
    /// <summary>Correlation id across runs or services.</summary>
    public string? CorrelationId { get; init; }
    /// <summary>Remaining structured properties as a JSON object text (already made safe), or null.</summary>
    public string? ExtraJson { get; init; }
    /// <summary>Payload for special categories (the final response JSON), already made safe; null otherwise.</summary>
    public string? PayloadJson { get; init; }
    /// <summary>The exception logged with the event.</summary>
    public ExceptionInfo? Exception { get; init; }
    /// <summary>Host name.</summary>
    public string? Host { get; init; }
    /// <summary>Process id.</summary>
    public int? Pid { get; init; }
    /// <summary>Managed thread id.</summary>
    public int? ThreadId { get; init; }
}
