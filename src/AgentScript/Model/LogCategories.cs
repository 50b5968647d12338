namespace AgentScript.Model;

/// <summary>Well-known values of <c>log_category</c>. Ordinary events use their level name.</summary>
public static class LogCategories
{
    /// <summary>The event that carries a run's final response as its payload.</summary>
    public const string FinalResponse = "SCRIPT_FINAL_RESPONSE";
    /// <summary>An insight an agent recorded for later runs.</summary>
    public const string Learning = "AGENT_LEARNING";
    /// <summary>A progress report (stage, percent).</summary>
    public const string Progress = "PROGRESS";
    /// <summary>A SUCCESS level: stored at INFO with this category.</summary>
    public const string Success = "SUCCESS";
    /// <summary>A traced call started.</summary>
    public const string SpanStart = "SPAN_START";
    /// <summary>A traced call ended (duration, outcome).</summary>
    public const string SpanEnd = "SPAN_END";
    /// <summary>A run started.</summary>
    public const string RunStart = "RUN_START";
    /// <summary>A run ended.</summary>
    public const string RunEnd = "RUN_END";
}
