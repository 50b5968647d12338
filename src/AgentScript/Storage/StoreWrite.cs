using System.Text.Json.Serialization;
using AgentScript.Model;

namespace AgentScript.Storage;

/// <summary>
/// One write to a store. Every write the product makes — events, run start/progress/response/end, learnings,
/// relations — travels as a <see cref="StoreWrite"/> through the same ordered, durable, idempotent pipeline,
/// so a store outage loses none of them. Applying the same write twice leaves the store as applying it once.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$w")]
[JsonDerivedType(typeof(EventWrite), "event")]
[JsonDerivedType(typeof(RunStartWrite), "run_start")]
[JsonDerivedType(typeof(ProgressWrite), "progress")]
[JsonDerivedType(typeof(FinalResponseWrite), "final_response")]
[JsonDerivedType(typeof(RunEndWrite), "run_end")]
[JsonDerivedType(typeof(LearningWrite), "learning")]
[JsonDerivedType(typeof(RelationWrite), "relation")]
public abstract record StoreWrite
{
    /// <summary>Identifies the write in dead-letter files and diagnostics.</summary>
    [JsonIgnore]
    public abstract string WriteId { get; }
}

/// <summary>Append a log event (no-op when its <c>event_id</c> is stored already).</summary>
public sealed record EventWrite(LogEventRecord Event) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => Event.EventId;
}

/// <summary>Create a run record (no-op when it exists).</summary>
public sealed record RunStartWrite(ScriptRun Run) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => "run_start:" + Run.ExecutionId;
}

/// <summary>Set the run's latest progress.</summary>
public sealed record ProgressWrite(string ExecutionId, RunProgress Progress) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => "progress:" + ExecutionId;
}

/// <summary>Set the run's final response (JSON text).</summary>
public sealed record FinalResponseWrite(string ExecutionId, string ResponseJson) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => "final_response:" + ExecutionId;
}

/// <summary>End the run: status, times, error, counts.</summary>
public sealed record RunEndWrite(RunEnd End) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => "run_end:" + End.ExecutionId;
}

/// <summary>Store a learning (no-op when its id exists).</summary>
public sealed record LearningWrite(AgentLearning Learning) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => Learning.LearningId;
}

/// <summary>Store a relation (no-op when its id exists).</summary>
public sealed record RelationWrite(LogRelation Relation) : StoreWrite
{
    /// <inheritdoc/>
    public override string WriteId => Relation.RelationId;
}
