namespace AgentScript.Model;

/// <summary>
/// Names of the Serilog properties the sink maps to columns instead of <c>extra</c>.
/// The host and the tracing code push these into the log context.
/// </summary>
/// <remarks>
/// The names that set a record field carry the <c>AgentScript.</c> prefix: a dot can never appear in a message-template
/// property, so <c>log.Information("Looked at {ExecutionId}", other)</c> cannot file an event under another run — its
/// value is kept as <c>extra.ExecutionId</c>. Only code that names these constants sets the fields.
/// </remarks>
public static class LogProperties
{
    /// <summary>The run's execution id.</summary>
    public const string ExecutionId = "AgentScript.ExecutionId";
    /// <summary>The script's name.</summary>
    public const string ScriptName = "AgentScript.ScriptName";
    /// <summary>The entry mode of the run (kept in <c>extra.Mode</c>).</summary>
    public const string Mode = "Mode";
    /// <summary>Overrides <c>log_category</c> (otherwise the level name).</summary>
    public const string Category = "AgentScript.LogCategory";
    /// <summary>The current traced span.</summary>
    public const string SpanId = "AgentScript.SpanId";
    /// <summary>The span that encloses the current one.</summary>
    public const string ParentSpanId = "AgentScript.ParentSpanId";
    /// <summary>The method that logged (traced spans set it).</summary>
    public const string FunctionName = "AgentScript.FunctionName";
    /// <summary>Source file of the call site.</summary>
    public const string FilePath = "AgentScript.FilePath";
    /// <summary>Line of the call site.</summary>
    public const string LineNumber = "AgentScript.LineNumber";
    /// <summary>Correlates events across runs or services.</summary>
    public const string CorrelationId = "AgentScript.CorrelationId";
    /// <summary>Where the event came from (component, tool, service); defaults to Serilog's SourceContext.</summary>
    public const string Source = "AgentScript.Source";
    /// <summary>Free tags (a string or a sequence of strings).</summary>
    public const string Tags = "AgentScript.Tags";
    /// <summary>Serilog's own source context property.</summary>
    public const string SourceContext = "SourceContext";
}
