// Job: run-level analysis queries on the AgentLog facade (compare two runs, find stalls), computed outside the stores.
using AgentScript.Queries;

namespace AgentScript;

public static partial class AgentLog
{
    /// <summary>
    /// Compares run <paramref name="executionIdA"/> with run <paramref name="executionIdB"/>: status and duration
    /// change, final responses as JSON paths, events per level, error types that appeared or disappeared, the spans
    /// whose duration changed most and the learnings recorded in between.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A run is unknown.</exception>
    public static async Task<RunDiff> DiffRunsAsync(string executionIdA, string executionIdB, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionIdA);
        ArgumentException.ThrowIfNullOrWhiteSpace(executionIdB);
        var store = await ReadyStoreAsync(cancellationToken).ConfigureAwait(false);
        return await RunDiffer.DiffAsync(store, executionIdA, executionIdB, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gaps in a run's activity longer than <paramref name="threshold"/> (default 30 s), in time order.</summary>
    public static async Task<IReadOnlyList<RunStall>> GetStallsAsync(string executionId, TimeSpan? threshold = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionId);
        var store = await ReadyStoreAsync(cancellationToken).ConfigureAwait(false);
        return await RunStalls.FindAsync(store, executionId, threshold ?? RunStalls.DefaultThreshold, cancellationToken).ConfigureAwait(false);
    }
}
