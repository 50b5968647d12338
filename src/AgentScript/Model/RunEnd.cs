namespace AgentScript.Model;

/// <summary>What is known when a run ends.</summary>
public sealed record RunEnd
{
    /// <summary>The run.</summary>
    public required string ExecutionId { get; init; }
    /// <summary>Final status (not <see cref="RunStatus.Running"/>).</summary>
    public required RunStatus Status { get; init; }
    /// <summary>When it ended.</summary>
    public required DateTimeOffset EndTime { get; init; }
    /// <summary>Wall time in milliseconds.</summary>
    public required double DurationMs { get; init; }
    /// <summary>Why it failed.</summary>
    public ExceptionInfo? Error { get; init; }
    /// <summary>Number of events logged during the run.</summary>
    public long MessagesLogged { get; init; }
    /// <summary>Events per level name.</summary>
    public IReadOnlyDictionary<string, long> CountsByLevel { get; init; } = new Dictionary<string, long>();
    /// <summary>Optional quality score (0–1).</summary>
    public double? QualityScore { get; init; }
}
