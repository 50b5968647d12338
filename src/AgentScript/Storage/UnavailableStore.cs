using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage;

/// <summary>
/// Stands in for a store that could not even be opened: every call throws <see cref="StoreUnavailableException"/>
/// with the original reason, so the write pipeline buffers everything and queries report the problem.
/// </summary>
internal sealed class UnavailableStore(string kind, string location, string reason) : IAgentLogStore
{
    public string Kind => kind;
    public string Location => location;

    private StoreUnavailableException Fail() => new(reason);

    public Task<StoreInfo> InitializeAsync(CancellationToken cancellationToken = default) => throw Fail();
    public Task<WriteOutcome> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) => throw Fail();
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) => throw Fail();
    public IAsyncEnumerable<StreamedEvent> StreamEventsAsync(EventFilter filter, CancellationToken cancellationToken = default) => throw Fail();
    public Task<ScriptRun?> GetRunAsync(string executionId, CancellationToken cancellationToken = default) => throw Fail();
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => throw Fail();
    public Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default) => throw Fail();
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default) => throw Fail();
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default) => throw Fail();
    public Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default) => throw Fail();
    public Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default) => throw Fail();
    public Task<IReadOnlyList<LogRelation>> GetRelationsAsync(string? handle, CancellationToken cancellationToken = default) => throw Fail();
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default) => throw Fail();
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default) => throw Fail();
    public Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default) => throw Fail();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
