using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>Everything an agent wants to know about one run at a glance.</summary>
public sealed record ExecutionSummary
{
    /// <summary>The run record (status <c>abandoned</c> when its process died).</summary>
    public required ScriptRun Run { get; init; }
    /// <summary>Stored events per level.</summary>
    public required IReadOnlyDictionary<string, long> CountsByLevel { get; init; }
    /// <summary>Stored events in total.</summary>
    public required long EventCount { get; init; }
    /// <summary>ERROR and CRITICAL events (first 100, time order).</summary>
    public required IReadOnlyList<LogEventRecord> Errors { get; init; }
    /// <summary>Learnings recorded during the run.</summary>
    public required IReadOnlyList<AgentLearning> Learnings { get; init; }
    /// <summary>Progress events in time order.</summary>
    public required IReadOnlyList<RunProgress> Progress { get; init; }
    /// <summary>The final response JSON, if any.</summary>
    public string? FinalResponseJson { get; init; }
    /// <summary>First and last event times.</summary>
    public DateTimeOffset? FirstEvent { get; init; }
    /// <summary>Last event time.</summary>
    public DateTimeOffset? LastEvent { get; init; }
}
