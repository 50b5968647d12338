using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Tests.Sink;

/// <summary>
/// Wraps a real store and fails on command: while <see cref="Down"/> is set every write throws
/// <see cref="StoreUnavailableException"/>; <see cref="LoseAcknowledgement"/> applies a batch and then throws (a
/// write that reached the store but whose answer was lost); <see cref="Gate"/> holds writes until it is opened;
/// writes of events whose message contains <see cref="PoisonMarker"/> are rejected.
/// </summary>
internal sealed class FailingStore(IAgentLogStore inner) : IAgentLogStore
{
    public const string PoisonMarker = "POISON";

    private int _writeCalls;
    private int _failedCalls;

    public volatile bool Down;
    public volatile bool LoseAcknowledgement;
    public TaskCompletionSource? Gate;

    public int WriteCalls => Volatile.Read(ref _writeCalls);
    public int FailedCalls => Volatile.Read(ref _failedCalls);
    public IAgentLogStore Inner => inner;
    public string Kind => inner.Kind;
    public string Location => inner.Location;

    public Task<StoreInfo> InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (Down)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new StoreUnavailableException("test: the store is down");
        }
        return inner.InitializeAsync(cancellationToken);
    }

    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writeCalls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (Down)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new StoreUnavailableException("test: the store is down");
        }
        var poison = writes.Where(w => w is EventWrite e && e.Event.Message.Contains(PoisonMarker, StringComparison.Ordinal)).ToList();
        var good = writes.Except(poison).ToList();
        var outcome = await inner.WriteAsync(good, cancellationToken);
        if (LoseAcknowledgement)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new StoreUnavailableException("test: the answer was lost after the write");
        }
        return new WriteOutcome([.. outcome.Rejected, .. poison.Select(p => new RejectedWrite(p, "test: poison event refused"))]);
    }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(query, cancellationToken);
    public IAsyncEnumerable<StreamedEvent> StreamEventsAsync(EventFilter filter, CancellationToken cancellationToken = default) => inner.StreamEventsAsync(filter, cancellationToken);
    public Task<ScriptRun?> GetRunAsync(string executionId, CancellationToken cancellationToken = default) => inner.GetRunAsync(executionId, cancellationToken);
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => inner.ListRunsAsync(query, cancellationToken);
    public Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default) => inner.GetLatestResponseAsync(scriptName, executionId, cancellationToken);
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default) => inner.GetExecutionSummaryAsync(executionId, cancellationToken);
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default) => inner.GetErrorsAsync(executionId, window, cancellationToken);
    public Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default) => inner.GetLearningsAsync(query, cancellationToken);
    public Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default) => inner.PruneAsync(request, cancellationToken);
    public Task<IReadOnlyList<LogRelation>> GetRelationsAsync(string? handle, CancellationToken cancellationToken = default) => inner.GetRelationsAsync(handle, cancellationToken);
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default) => inner.GetExecutionGraphAsync(executionId, cancellationToken);
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default) => inner.GetPerformanceAsync(scriptName, days, cancellationToken);
    public Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default) => inner.QueryAsync(query, parameters, allowWrites, cancellationToken);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
