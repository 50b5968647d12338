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
    /// <summary>A typed agent event: an action with its parameters and outcome (<c>AgentLog.LogAction</c>).</summary>
    public const string AgentAction = "AGENT_ACTION";
    /// <summary>A typed agent event: a decision with its options and reasoning (<c>AgentLog.LogDecision</c>).</summary>
    public const string AgentDecision = "AGENT_DECISION";
    /// <summary>A typed agent event: a state change from/to (<c>AgentLog.LogStateChange</c>).</summary>
    public const string AgentStateChange = "AGENT_STATE_CHANGE";
    /// <summary>A typed agent event: a reward with its cumulative value (<c>AgentLog.LogReward</c>).</summary>
    public const string AgentReward = "AGENT_REWARD";

    /// <summary>The typed agent event categories.</summary>
    public static IReadOnlyList<string> AgentEvents { get; } = [AgentAction, AgentDecision, AgentStateChange, AgentReward];
}
