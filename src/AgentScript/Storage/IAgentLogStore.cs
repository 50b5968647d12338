using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage;

/// <summary>
/// A place where runs, events, learnings and relations are kept, and the queries over them. Implemented by
/// <c>SqliteLogStore</c> (default) and <c>ArangoLogStore</c>. User values always travel as bind parameters.
/// </summary>
/// <remarks>
/// Writes go through <see cref="WriteAsync"/> only, normally from the sink's background writer, which buffers
/// them durably when the store throws <see cref="StoreUnavailableException"/>. Every write is idempotent.
/// </remarks>
public interface IAgentLogStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>arangodb</c>.</summary>
    string Kind { get; }

    /// <summary>Where the store is (file path, or URL and database) — safe to print, never holds a password.</summary>
    string Location { get; }

    /// <summary>Creates or verifies the schema; safe to call any number of times, from several processes.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot be opened or reached.</exception>
    Task<StoreInfo> InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="writes"/> in order, atomically where the store allows. Writes the store refuses for
    /// good are returned as rejected (the rest are stored); a transient failure throws
    /// <see cref="StoreUnavailableException"/> and the caller retries the whole batch later.
    /// </summary>
    Task<WriteOutcome> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>BM25-ranked search (best first) with filters and paging.</summary>
    /// <exception cref="ArgumentException">Empty text or a bad filter value.</exception>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>Events in insertion order with filters; streams, so memory does not grow with the result.</summary>
    IAsyncEnumerable<StreamedEvent> StreamEventsAsync(EventFilter filter, CancellationToken cancellationToken = default);

    /// <summary>One run, or null. A run left <c>running</c> by a dead process is reported <c>abandoned</c>.</summary>
    Task<ScriptRun?> GetRunAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first.</summary>
    Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The final response of <paramref name="executionId"/> when given; otherwise the latest successful run of
    /// <paramref name="scriptName"/> that has a final response. Null when there is none.
    /// </summary>
    Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default);

    /// <summary>Summary of one run, or null when the run is unknown.</summary>
    Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Each ERROR/CRITICAL event of the run with the events around it.</summary>
    Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default);

    /// <summary>Learnings, newest first (best match first when text is given).</summary>
    Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes (or counts, for a dry run) what the request selects; search stays in step.</summary>
    /// <exception cref="ArgumentException">No criterion given.</exception>
    Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stored relations touching <paramref name="handle"/> (either end), or all when null.</summary>
    Task<IReadOnlyList<LogRelation>> GetRelationsAsync(string? handle, CancellationToken cancellationToken = default);

    /// <summary>The run as a graph, or null when the run is unknown.</summary>
    Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Runs, success rate, duration percentiles and error trend over the last <paramref name="days"/> days.</summary>
    Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default);

    /// <summary>
    /// A raw native query (SQL on SQLite, AQL on ArangoDB) with named parameters. Read-only unless
    /// <paramref name="allowWrites"/>; a write attempted read-only fails with <see cref="StoreQueryException"/>.
    /// </summary>
    /// <exception cref="StoreQueryException">The store rejected the query; the message is the store's.</exception>
    Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default);
}
