using AgentScript.Configuration;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;

namespace AgentScript;

/// <summary>
/// The static, agent-friendly facade. It holds no state of its own: every call goes to the current runtime — the
/// current run's, else the one a <see cref="ScriptHost"/> made current for this flow, else the standalone one set by
/// <see cref="Configure"/> (or configured from the environment and <c>.env</c>, <see cref="AgentScriptConfiguration"/>,
/// on first use).
/// </summary>
/// <remarks>Writes return at once (they are queued); queries are async only and first flush what this process has
/// queued, so an agent reads its own writes.</remarks>
public static partial class AgentLog
{
    /// <summary>Shortest rationale <see cref="Relate"/> accepts (a relation without its reason is useless to the next agent).</summary>
    public const int MinRationaleLength = 50;

    /// <summary>
    /// Uses <paramref name="options"/> for code outside a <see cref="ScriptHost"/> run (instead of reading the
    /// environment on first use). Flushes and replaces an earlier standalone set-up.
    /// </summary>
    public static void Configure(AgentScriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AgentRuntime.ConfigureStandalone(options);
    }

    /// <summary>Flushes and closes the standalone set-up (not a host's). Safe to call when there is none.</summary>
    public static Task CloseAndFlushAsync() => AgentRuntime.CloseStandaloneAsync();

    /// <summary>The store in use (for queries not covered here).</summary>
    public static IAgentLogStore Store => AgentRuntime.Resolve().Store;

    /// <summary>The run of the current flow, if any.</summary>
    public static AgentRun? CurrentRun => AgentRun.Current;

    // ---- Run lifecycle -------------------------------------------------------------------------------------

    /// <summary>Starts a run and makes it current for this flow (use it when not running under <see cref="ScriptHost"/>).</summary>
    public static AgentRun StartRun(string scriptName, string mode = "working", object? metadata = null, string? correlationId = null, string? sessionId = null)
    {
        var run = AgentRun.Start(AgentRuntime.Resolve(), scriptName, mode, metadata, correlationId, sessionId);
        AgentRun.Current = run;
        return run;
    }

    /// <summary>Ends <paramref name="run"/> (default: the current run) with <paramref name="status"/>.</summary>
    /// <returns>False when there is no run or it had ended already.</returns>
    public static bool EndRun(RunStatus status = RunStatus.Success, Exception? error = null, AgentRun? run = null, double? qualityScore = null)
    {
        run ??= AgentRun.Current;
        if (run is null)
        {
            return false;
        }
        var ended = run.End(status, error, qualityScore);
        if (ReferenceEquals(AgentRun.Current, run))
        {
            AgentRun.Current = null;
        }
        return ended;
    }

    /// <summary>Records the final response of the current run (or, outside a run, logs a SCRIPT_FINAL_RESPONSE event).</summary>
    public static void LogFinalResponse(object? response)
    {
        if (AgentRun.Current is { } run)
        {
            run.RecordFinalResponse(response);
            return;
        }
        AgentRuntime.Resolve().LogFinalResponseOutsideRun(response);
    }

    /// <summary>Stores a learning (linked to the current run when there is one).</summary>
    public static AgentLearning LogLearning(string learning, string? functionName = null, string? context = null, double confidence = 0.8)
    {
        if (AgentRun.Current is { } run)
        {
            return run.AddLearning(learning, functionName, context, confidence);
        }
        return AgentRuntime.Resolve().AddLearningOutsideRun(learning, functionName, context, confidence);
    }

    /// <summary>Reports progress of the current run (stage, 0–100 percent, metadata).</summary>
    /// <exception cref="InvalidOperationException">No run is current.</exception>
    public static void Progress(string stage, double percent, object? metadata = null)
    {
        var run = AgentRun.Current ?? throw new InvalidOperationException("AgentLog.Progress needs a current run: call it from a script entry, or call AgentLog.StartRun first.");
        run.Progress(stage, percent, metadata);
    }

    /// <summary>
    /// Stores a typed relation between two handles (<c>log_events/{id}</c>, <c>script_runs/{id}</c>,
    /// <c>agent_learnings/{id}</c>) with a rationale of at least <see cref="MinRationaleLength"/> characters.
    /// </summary>
    /// <exception cref="ArgumentException">A handle, the type or the rationale is missing or malformed.</exception>
    public static LogRelation Relate(string from, string to, string type, string rationale, double confidence = 1.0,
        string? createdBy = null, DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null)
    {
        if (string.IsNullOrWhiteSpace(rationale) || rationale.Trim().Length < MinRationaleLength)
        {
            throw new ArgumentException($"A relation needs a rationale of at least {MinRationaleLength} characters explaining why it holds (got {rationale?.Trim().Length ?? 0}).", nameof(rationale));
        }
        AgentRuntime.ValidateRelation(from, to, type, validFrom, validTo);
        return AgentRuntime.Resolve().EnqueueRelation(from, to, type, rationale, confidence, createdBy ?? AgentRun.Current?.ScriptName ?? "agent", validFrom, validTo);
    }

    /// <summary>Writes everything queued by this process to the store (or the durable buffer). True when all is stored.</summary>
    public static Task<bool> FlushAsync(CancellationToken cancellationToken = default) => AgentRuntime.Resolve().Pipeline.FlushAsync(cancellationToken);

    // ---- Queries -------------------------------------------------------------------------------------------

    private static Task<IAgentLogStore> ReadyStoreAsync(CancellationToken cancellationToken) =>
        AgentRuntime.Resolve().ReadyStoreAsync(cancellationToken);

    /// <summary>BM25 full-text search, best first.</summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).SearchAsync(query, cancellationToken).ConfigureAwait(false);

    /// <summary>BM25 full-text search for <paramref name="text"/>, best first.</summary>
    public static Task<IReadOnlyList<SearchHit>> SearchAsync(string text, int limit = 20, string? executionId = null, string? level = null, string? scriptName = null, CancellationToken cancellationToken = default) =>
        SearchAsync(new SearchQuery { Text = text, Limit = limit, ExecutionId = executionId, Level = level, ScriptName = scriptName }, cancellationToken);

    /// <summary>A raw native query (SQL on SQLite, AQL on ArangoDB) with named parameters.</summary>
    public static async Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).QueryAsync(query, parameters, allowWrites, cancellationToken).ConfigureAwait(false);

    /// <summary>The final response of a run, or of the latest successful run of a script.</summary>
    public static async Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetLatestResponseAsync(scriptName, executionId, cancellationToken).ConfigureAwait(false);

    /// <summary>Summary of a run.</summary>
    public static async Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetExecutionSummaryAsync(executionId, cancellationToken).ConfigureAwait(false);

    /// <summary>Errors of a run with context (default ± 5 seconds).</summary>
    public static async Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow? window = null, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetErrorsAsync(executionId, window ?? ContextWindow.Default, cancellationToken).ConfigureAwait(false);

    /// <summary>Learnings, newest first.</summary>
    public static async Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery? query = null, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetLearningsAsync(query ?? new LearningQuery(), cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes (or counts, for a dry run) old or selected records.</summary>
    public static async Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).PruneAsync(request, cancellationToken).ConfigureAwait(false);

    /// <summary>A run as a graph: events, FOLLOWED_BY edges and stored relations.</summary>
    public static async Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetExecutionGraphAsync(executionId, cancellationToken).ConfigureAwait(false);
}
