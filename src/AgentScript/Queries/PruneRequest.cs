namespace AgentScript.Queries;

/// <summary>What to delete. At least one criterion is required; criteria combine with AND.</summary>
public sealed record PruneRequest
{
    /// <summary>Delete events (and runs, with their learnings and relations) older than this.</summary>
    public TimeSpan? OlderThan { get; init; }
    /// <summary>Delete only events of this category.</summary>
    public string? Category { get; init; }
    /// <summary>Delete these runs and everything of theirs.</summary>
    public IReadOnlyList<string>? ExecutionIds { get; init; }
    /// <summary>Count what would be deleted, delete nothing.</summary>
    public bool DryRun { get; init; }
}
