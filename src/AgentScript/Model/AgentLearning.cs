namespace AgentScript.Model;

/// <summary>An insight recorded by an agent (<c>agent_learnings</c>).</summary>
public sealed record AgentLearning
{
    /// <summary>Stable unique id (idempotent inserts).</summary>
    public required string LearningId { get; init; }
    /// <summary>When it was recorded.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The text of the learning.</summary>
    public required string Learning { get; init; }
    /// <summary>The run it came from, if any.</summary>
    public string? ExecutionId { get; init; }
    /// <summary>The script it came from, if any.</summary>
    public string? ScriptName { get; init; }
    /// <summary>The function it is about.</summary>
    public string? FunctionName { get; init; }
    /// <summary>Free context (what was tried, inputs).</summary>
    public string? Context { get; init; }
    /// <summary>0–1.</summary>
    public double Confidence { get; init; } = 0.8;
}
