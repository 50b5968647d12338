// Job: build the records a seeded test store holds and write them through the store contract (linked into every
// test project that seeds stores, so run and event records are made one way).
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Tests.Shared;

/// <summary>Records for seeding a real store through <see cref="IAgentLogStore.WriteAsync"/>, the sink's own write path.</summary>
internal static class SeedRecords
{
    /// <summary>A run as its start record stores it: running, this process and host.</summary>
    public static ScriptRun StartedRun(string executionId, string scriptName, string mode, DateTimeOffset start) => new()
    {
        ExecutionId = executionId,
        ScriptName = scriptName,
        Mode = mode,
        Status = RunStatus.Running,
        StartTime = start,
        Pid = Environment.ProcessId,
        Host = Environment.MachineName,
    };

    /// <summary>An event of a run, with a fresh event id; the message is its own template.</summary>
    public static LogEventRecord Event(
        string executionId, string scriptName, DateTimeOffset time, string level, string message, string category) => new()
    {
        EventId = EventIds.New(),
        Timestamp = time,
        Level = level,
        Message = message,
        MessageTemplate = message,
        ExecutionId = executionId,
        ScriptName = scriptName,
        Category = category,
        Host = Environment.MachineName,
        Pid = Environment.ProcessId,
    };

    /// <summary>Writes everything in one call and fails loudly if the store rejected any of it.</summary>
    public static async Task WriteAllAsync(IAgentLogStore store, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken)
    {
        var outcome = await store.WriteAsync(writes, cancellationToken);
        if (outcome.Rejected.Count > 0)
        {
            throw new InvalidOperationException("The store rejected seed writes: " + string.Join("; ", outcome.Rejected));
        }
    }
}
