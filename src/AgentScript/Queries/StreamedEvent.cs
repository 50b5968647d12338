using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>An event with its insertion position in the store, for resuming a stream.</summary>
/// <param name="Position">Monotonic insertion position (SQLite rowid; an ArangoDB sequence).</param>
/// <param name="Event">The event.</param>
public sealed record StreamedEvent(long Position, LogEventRecord Event);
