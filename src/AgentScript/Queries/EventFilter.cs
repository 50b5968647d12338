namespace AgentScript.Queries;

/// <summary>Filters for streaming events in time order (export, tail, report).</summary>
public sealed record EventFilter
{
    /// <summary>Only this level.</summary>
    public string? Level { get; init; }
    /// <summary>Only this script.</summary>
    public string? ScriptName { get; init; }
    /// <summary>Only this run.</summary>
    public string? ExecutionId { get; init; }
    /// <summary>Only this category.</summary>
    public string? Category { get; init; }
    /// <summary>Only events whose text matches (same rules as <see cref="SearchQuery.Text"/>).</summary>
    public string? Text { get; init; }
    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Only events before this time.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Resume after this position (from <see cref="StreamedEvent.Position"/>) — for tail.</summary>
    public long? AfterPosition { get; init; }
    /// <summary>Stop after this many events.</summary>
    public int? Limit { get; init; }
}
