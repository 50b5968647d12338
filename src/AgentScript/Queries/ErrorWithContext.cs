using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>An error event with the events of the same run around it.</summary>
/// <param name="Error">The ERROR or CRITICAL event.</param>
/// <param name="Before">Events before it, oldest first.</param>
/// <param name="After">Events after it, oldest first.</param>
public sealed record ErrorWithContext(LogEventRecord Error, IReadOnlyList<LogEventRecord> Before, IReadOnlyList<LogEventRecord> After);
