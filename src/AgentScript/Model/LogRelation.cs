namespace AgentScript.Model;

/// <summary>
/// A typed edge between two stored things (<c>log_relations</c>). Endpoints are document handles
/// <c>log_events/{event_id}</c>, <c>script_runs/{execution_id}</c> or <c>agent_learnings/{learning_id}</c>
/// — the same form in SQLite and ArangoDB.
/// </summary>
public sealed record LogRelation
{
    /// <summary>Stable unique id (idempotent inserts).</summary>
    public required string RelationId { get; init; }
    /// <summary>Source handle.</summary>
    public required string From { get; init; }
    /// <summary>Target handle.</summary>
    public required string To { get; init; }
    /// <summary><see cref="RelationTypes"/> or another upper-case word.</summary>
    public required string Type { get; init; }
    /// <summary>Why the relation holds.</summary>
    public string? Rationale { get; init; }
    /// <summary>0–1.</summary>
    public double Confidence { get; init; } = 1.0;
    /// <summary>Who made it (agent, script, user).</summary>
    public string? CreatedBy { get; init; }
    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Start of validity.</summary>
    public DateTimeOffset? ValidFrom { get; init; }
    /// <summary>End of validity (null = still valid).</summary>
    public DateTimeOffset? ValidTo { get; init; }
}
