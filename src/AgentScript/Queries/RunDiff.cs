// Job: the result shape of comparing two runs (agentlog diff, the MCP diff tool, AgentLog.DiffRunsAsync).
using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>What changed from run A to run B.</summary>
public sealed record RunDiff
{
    /// <summary>The first run (the baseline, e.g. the failed run).</summary>
    public required ScriptRun RunA { get; init; }
    /// <summary>The second run (e.g. the fixed run).</summary>
    public required ScriptRun RunB { get; init; }
    /// <summary>B's duration minus A's, in milliseconds (null when either has none).</summary>
    public double? DurationChangeMs { get; init; }
    /// <summary>Final responses compared as JSON (A → B).</summary>
    public required IReadOnlyList<JsonChange> ResponseChanges { get; init; }
    /// <summary>More response changes existed than were listed.</summary>
    public bool ResponseChangesTruncated { get; init; }
    /// <summary>Events per level in each run (every level present in either run).</summary>
    public required IReadOnlyList<LevelCount> Levels { get; init; }
    /// <summary>Exception types (or messages of errors without one) of ERROR/CRITICAL events found only in B.</summary>
    public required IReadOnlyList<string> ErrorsAppeared { get; init; }
    /// <summary>Error types found only in A.</summary>
    public required IReadOnlyList<string> ErrorsDisappeared { get; init; }
    /// <summary>Spans (by function name) whose total duration changed most, largest change first.</summary>
    public required IReadOnlyList<SpanChange> Spans { get; init; }
    /// <summary>Learnings recorded from the earlier run's start to the later run's start (same script), oldest first.</summary>
    public required IReadOnlyList<AgentLearning> LearningsBetween { get; init; }
}

/// <summary>Events of one level in each run.</summary>
public sealed record LevelCount(string Level, long A, long B);

/// <summary>A span's total duration (all its calls) and call count in each run; null when it did not run there.</summary>
public sealed record SpanChange(string FunctionName, double? DurationMsA, double? DurationMsB, int CallsA, int CallsB)
{
    /// <summary>B minus A (a span missing from a run counts as 0 ms).</summary>
    public double ChangeMs => (DurationMsB ?? 0) - (DurationMsA ?? 0);
}
