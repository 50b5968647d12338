namespace AgentScript.Queries;

/// <summary>Filters for learnings, newest first.</summary>
public sealed record LearningQuery
{
    /// <summary>Only learnings of this run.</summary>
    public string? ExecutionId { get; init; }
    /// <summary>Only learnings of this script.</summary>
    public string? ScriptName { get; init; }
    /// <summary>Only learnings about this function.</summary>
    public string? FunctionName { get; init; }
    /// <summary>Only learnings whose text matches these words (BM25-ranked when given).</summary>
    public string? Text { get; init; }
    /// <summary>Only learnings with at least this confidence.</summary>
    public double? MinConfidence { get; init; }
    /// <summary>Only learnings at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Page size.</summary>
    public int Limit { get; init; } = 50;
}
