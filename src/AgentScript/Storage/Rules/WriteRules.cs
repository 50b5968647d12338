// Job: decide which writes a store refuses before touching the database, the same way in both stores.
using AgentScript.Model;

namespace AgentScript.Storage.Rules;

/// <summary>
/// What the schema cannot express clearly: missing ids, levels, messages and ends. Both stores refuse such a write
/// with the same reason (as a <see cref="RejectedWrite"/>, never by throwing), and report refusals in input order.
/// </summary>
internal static class WriteRules
{
    /// <summary>Why <paramref name="write"/> cannot be stored, or null when it is acceptable.</summary>
    public static string? Validate(StoreWrite? write) => write switch
    {
        EventWrite { Event: var e } => e is null ? "The event is missing."
            : string.IsNullOrWhiteSpace(e.EventId) ? "The event has no event_id; every record needs a stable id (EventIds.New())."
            : e.Level is null ? "The event has no level."
            : e.Message is null ? "The event has no message."
            : e.Category is null ? "The event has no log_category."
            : null,
        RunStartWrite { Run: var r } => r is null ? "The run is missing."
            : string.IsNullOrWhiteSpace(r.ExecutionId) ? "The run has no execution_id."
            : r.ScriptName is null ? "The run has no script_name."
            : r.Mode is null ? "The run has no mode."
            : null,
        ProgressWrite p => string.IsNullOrWhiteSpace(p.ExecutionId) ? "The progress report has no execution_id."
            : p.Progress is null ? "The progress report is missing." : null,
        FinalResponseWrite f => string.IsNullOrWhiteSpace(f.ExecutionId) ? "The final response has no execution_id."
            : f.ResponseJson is null ? "The final response is missing." : null,
        RunEndWrite { End: var end } => end is null ? "The run end is missing."
            : string.IsNullOrWhiteSpace(end.ExecutionId) ? "The run end has no execution_id." : null,
        LearningWrite { Learning: var l } => l is null ? "The learning is missing."
            : string.IsNullOrWhiteSpace(l.LearningId) ? "The learning has no learning_id; every record needs a stable id (EventIds.New())."
            : l.Learning is null ? "The learning has no text." : null,
        RelationWrite { Relation: var r } => r is null ? "The relation is missing."
            : string.IsNullOrWhiteSpace(r.RelationId) ? "The relation has no relation_id; every record needs a stable id (EventIds.New())."
            : string.IsNullOrEmpty(r.From) || string.IsNullOrEmpty(r.To) ? "The relation needs both ends (from and to)."
            : string.IsNullOrEmpty(r.Type) ? "The relation has no type." : null,
        null => "The write is missing.",
        _ => $"Unknown write type {write.GetType().Name}.",
    };

    /// <summary>The refusals ordered as their writes were given.</summary>
    public static WriteOutcome InInputOrder(IReadOnlyList<StoreWrite> writes, List<RejectedWrite> rejected)
    {
        if (rejected.Count == 0)
        {
            return WriteOutcome.Success;
        }
        if (rejected.Count == 1)
        {
            return new WriteOutcome(rejected);
        }
        var position = new Dictionary<StoreWrite, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < writes.Count; i++)
        {
            position.TryAdd(writes[i], i);
        }
        return new WriteOutcome([.. rejected.OrderBy(r => position.GetValueOrDefault(r.Write, int.MaxValue))]);
    }
}
