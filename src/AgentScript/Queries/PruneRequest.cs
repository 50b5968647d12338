namespace AgentScript.Queries;

/// <summary>What to delete. At least one criterion is required; criteria combine with AND.</summary>
public sealed record PruneRequest
{
    /// <summary>Delete events (and runs, with their relations) older than this.</summary>
    public TimeSpan? OlderThan { get; init; }
    /// <summary>Delete only events of this category.</summary>
    public string? Category { get; init; }
    /// <summary>Delete these runs and everything of theirs.</summary>
    public IReadOnlyList<string>? ExecutionIds { get; init; }
    /// <summary>
    /// Also delete learnings selected by the same age or execution ids. Off by default: learnings are the agent's
    /// knowledge and outlive the events and runs they came from (they keep their text, context and execution id).
    /// </summary>
    public bool IncludeLearnings { get; init; }
    /// <summary>Count what would be deleted, delete nothing.</summary>
    public bool DryRun { get; init; }
}
