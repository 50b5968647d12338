using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>Everything an agent wants to know about one run at a glance.</summary>
public sealed record ExecutionSummary
{
    /// <summary>The run record (status <c>abandoned</c> when its process died).</summary>
    public required ScriptRun Run { get; init; }
    /// <summary>
    /// Events per level. For an ended run a store may report the counts the run recorded when it ended (every event
    /// it logged; the SQLite store does when they add up to the run's message count, to avoid counting a large run's
    /// events); for a running run they are counted from the stored events.
    /// </summary>
    public required IReadOnlyDictionary<string, long> CountsByLevel { get; init; }
    /// <summary>Events in total (see <see cref="CountsByLevel"/>).</summary>
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
