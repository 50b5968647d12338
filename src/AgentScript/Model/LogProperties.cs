namespace AgentScript.Model;

/// <summary>
/// Names of the Serilog properties the sink maps to columns instead of <c>extra</c>.
/// The host and the tracing code push these into the log context.
/// </summary>
public static class LogProperties
{
    /// <summary>The run's execution id.</summary>
    public const string ExecutionId = "ExecutionId";
    /// <summary>The script's name.</summary>
    public const string ScriptName = "ScriptName";
    /// <summary>The entry mode of the run (kept in <c>extra.Mode</c>).</summary>
    public const string Mode = "Mode";
    /// <summary>Overrides <c>log_category</c> (otherwise the level name).</summary>
    public const string Category = "LogCategory";
    /// <summary>The current traced span.</summary>
    public const string SpanId = "SpanId";
    /// <summary>The span that encloses the current one.</summary>
    public const string ParentSpanId = "ParentSpanId";
    /// <summary>The method that logged (traced spans set it).</summary>
    public const string FunctionName = "FunctionName";
    /// <summary>Source file of the call site.</summary>
    public const string FilePath = "FilePath";
    /// <summary>Line of the call site.</summary>
    public const string LineNumber = "LineNumber";
    /// <summary>Correlates events across runs or services.</summary>
    public const string CorrelationId = "CorrelationId";
    /// <summary>Where the event came from (component, tool, service); defaults to Serilog's SourceContext.</summary>
    public const string Source = "Source";
    /// <summary>Free tags (a string or a sequence of strings).</summary>
    public const string Tags = "Tags";
    /// <summary>Serilog's own source context property.</summary>
    public const string SourceContext = "SourceContext";
}
