namespace AgentScript.Model;

/// <summary>Status of a run (stored lower case).</summary>
public enum RunStatus
{
    /// <summary>Started, not ended yet.</summary>
    Running,
    /// <summary>The entry returned normally (and not <c>false</c>).</summary>
    Success,
    /// <summary>The entry threw or returned <c>false</c>.</summary>
    Failed,
    /// <summary>Ctrl+C, SIGTERM or the entry honoured cancellation.</summary>
    Cancelled,
    /// <summary>Left <c>running</c> by a process that no longer exists.</summary>
    Abandoned,
}
