using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Sqlite;

public sealed partial class SqliteLogStore
{
    /// <inheritdoc/>
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<IReadOnlyList<LogRelation>> GetRelationsAsync(string? handle, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <inheritdoc/>
    public Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
