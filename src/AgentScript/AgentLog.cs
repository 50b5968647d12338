using AgentScript.Configuration;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;

namespace AgentScript;

/// <summary>
/// The static, agent-friendly facade (names follow the seed plans). Inside a <see cref="ScriptHost"/> run it uses
/// the run's store and write pipeline; elsewhere it configures itself from the environment and <c>.env</c>
/// (<see cref="AgentScriptConfiguration"/>) on first use.
/// </summary>
/// <remarks>Writes return at once (they are queued); queries first flush what this process has queued, so an agent
/// reads its own writes.</remarks>
public static partial class AgentLog
{
    /// <summary>Shortest rationale <see cref="Relate"/> accepts (the seed plans ask agents to explain relations).</summary>
    public const int MinRationaleLength = 50;

    private static readonly Lock s_lock = new();
    private static (StoreWritePipeline Pipeline, ILogger Logger)? s_host;
    private static (StoreWritePipeline Pipeline, Serilog.Core.Logger Logger)? s_standalone;

    internal static void AttachHost(StoreWritePipeline pipeline, ILogger logger)
    {
        lock (s_lock)
        {
            s_host = (pipeline, logger);
        }
    }

    internal static void DetachHost(StoreWritePipeline pipeline)
    {
        lock (s_lock)
        {
            if (s_host is { } h && ReferenceEquals(h.Pipeline, pipeline))
            {
                s_host = null;
            }
        }
    }

    /// <summary>
    /// Uses <paramref name="options"/> for code outside a <see cref="ScriptHost"/> run (instead of reading the
    /// environment on first use). Flushes and replaces an earlier standalone set-up.
    /// </summary>
    public static void Configure(AgentScriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pipeline = StoreWritePipeline.Create(options);
        var logger = new LoggerConfiguration().WithSafeCapture().MinimumLevel.Verbose().Enrich.FromLogContext().Enrich.With(new SecretRedactionEnricher()).WriteTo.AgentStore(pipeline).CreateLogger();
        (StoreWritePipeline, Serilog.Core.Logger)? old;
        lock (s_lock)
        {
            old = s_standalone;
            s_standalone = (pipeline, logger);
        }
        if (old is { } o)
        {
            o.Item2.Dispose();
            o.Item1.Dispose();
        }
    }

    /// <summary>Flushes and closes the standalone set-up (not a host's). Safe to call when there is none.</summary>
    public static async Task CloseAndFlushAsync()
    {
        (StoreWritePipeline Pipeline, Serilog.Core.Logger Logger)? old;
        lock (s_lock)
        {
            old = s_standalone;
            s_standalone = null;
        }
        if (old is { } o)
        {
            await o.Logger.DisposeAsync().ConfigureAwait(false);
            await o.Pipeline.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static (StoreWritePipeline Pipeline, ILogger Logger) Resolve()
    {
        if (AgentRun.Current is { } run)
        {
            return (run.Pipeline, run.Logger);
        }
        lock (s_lock)
        {
            if (s_host is { } h)
            {
                return h;
            }
            if (s_standalone is null)
            {
                var options = AgentScriptConfiguration.Load();
                var pipeline = StoreWritePipeline.Create(options);
                var logger = new LoggerConfiguration().WithSafeCapture().MinimumLevel.Verbose().Enrich.FromLogContext().Enrich.With(new SecretRedactionEnricher()).WriteTo.AgentStore(pipeline).CreateLogger();
                s_standalone = (pipeline, logger);
                // Queued writes of a process that never calls CloseAndFlushAsync still reach the store or the buffer.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseAndFlushAsync().Wait(TimeSpan.FromSeconds(10));
            }
            return (s_standalone.Value.Pipeline, s_standalone.Value.Logger);
        }
    }

    /// <summary>The store in use (for queries not covered here).</summary>
    public static IAgentLogStore Store => Resolve().Pipeline.Store;

    /// <summary>The run of the current flow, if any.</summary>
    public static AgentRun? CurrentRun => AgentRun.Current;

    // ---- Run lifecycle -------------------------------------------------------------------------------------

    /// <summary>Starts a run and makes it current for this flow (use it when not running under <see cref="ScriptHost"/>).</summary>
    public static AgentRun StartRun(string scriptName, string mode = "working", object? metadata = null, string? correlationId = null, string? sessionId = null)
    {
        var (pipeline, logger) = Resolve();
        var run = AgentRun.Start(pipeline, logger, scriptName, mode, metadata, correlationId, sessionId);
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
        var (pipeline, logger) = Resolve();
        var json = ValueSanitizer.SanitizeJson(FinalResponseJson.Serialize(response, response?.GetType() ?? typeof(object)), pipeline.Options.PayloadLimits);
        logger.ForContext(LogProperties.Category, LogCategories.FinalResponse)
            .ForContext(LogEventMapper.PayloadProperty, json)
            .Information("Final response: {ResponsePreview}", ValueSanitizer.TruncateString(json, new ValueLimits { MaxStringLength = 300 }));
    }

    /// <summary>Stores a learning (linked to the current run when there is one).</summary>
    public static AgentLearning LogLearning(string learning, string? functionName = null, string? context = null, double confidence = 0.8)
    {
        if (AgentRun.Current is { } run)
        {
            return run.AddLearning(learning, functionName, context, confidence);
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(learning);
        var (pipeline, logger) = Resolve();
        var item = new AgentLearning
        {
            LearningId = EventIds.New(),
            Timestamp = DateTimeOffset.UtcNow,
            Learning = ValueSanitizer.TruncateString(learning, pipeline.Options.PayloadLimits),
            FunctionName = functionName,
            Context = context is null ? null : ValueSanitizer.TruncateString(context, pipeline.Options.PayloadLimits),
            Confidence = double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 0.8,
        };
        pipeline.Enqueue(new AddLearning(item));
        logger.ForContext(LogProperties.Category, LogCategories.Learning).Information("Learning: {Learning} (confidence {Confidence})", item.Learning, item.Confidence);
        return item;
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
        var (pipeline, _) = Resolve();
        return EnqueueRelation(pipeline, from, to, type, rationale, confidence, createdBy ?? AgentRun.Current?.ScriptName ?? "agent", validFrom, validTo);
    }

    internal static LogRelation EnqueueRelation(StoreWritePipeline pipeline, string from, string to, string type, string? rationale, double confidence,
        string? createdBy, DateTimeOffset? validFrom, DateTimeOffset? validTo)
    {
        ValidateHandle(from, nameof(from));
        ValidateHandle(to, nameof(to));
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var normalizedType = type.Trim().ToUpperInvariant().Replace(' ', '_').Replace('-', '_');
        if (validFrom is { } vf && validTo is { } vt && vt < vf)
        {
            throw new ArgumentException("validTo is earlier than validFrom.", nameof(validTo));
        }
        var now = DateTimeOffset.UtcNow;
        var relation = new LogRelation
        {
            RelationId = EventIds.New(),
            From = from,
            To = to,
            Type = normalizedType,
            Rationale = rationale is null ? null : ValueSanitizer.TruncateString(rationale, pipeline.Options.PayloadLimits),
            Confidence = double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 1.0,
            CreatedBy = createdBy,
            CreatedAt = now,
            ValidFrom = validFrom ?? now,
            ValidTo = validTo,
        };
        pipeline.Enqueue(new AddRelation(relation));
        return relation;
    }

    private static void ValidateHandle(string handle, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handle, name);
        var slash = handle.IndexOf('/', StringComparison.Ordinal);
        var collection = slash > 0 ? handle[..slash] : "";
        if (collection is not ("log_events" or "script_runs" or "agent_learnings") || slash == handle.Length - 1)
        {
            throw new ArgumentException($"'{handle}' is not a handle. Use log_events/<event_id>, script_runs/<execution_id> or agent_learnings/<learning_id>.", name);
        }
    }

    /// <summary>Writes everything queued by this process to the store (or the durable buffer). True when all is stored.</summary>
    public static Task<bool> FlushAsync(CancellationToken cancellationToken = default) => Resolve().Pipeline.FlushAsync(cancellationToken);

    // ---- Queries -------------------------------------------------------------------------------------------

    private static async Task<IAgentLogStore> ReadyStoreAsync(CancellationToken cancellationToken)
    {
        var pipeline = Resolve().Pipeline;
        await pipeline.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (await pipeline.InitializeStoreAsync(cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new StoreUnavailableException(problem);
        }
        return pipeline.Store;
    }

    /// <summary>BM25 full-text search, best first.</summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).SearchAsync(query, cancellationToken).ConfigureAwait(false);

    /// <summary>BM25 full-text search for <paramref name="text"/>, best first.</summary>
    public static Task<IReadOnlyList<SearchHit>> SearchAsync(string text, int limit = 20, string? executionId = null, string? level = null, string? scriptName = null, CancellationToken cancellationToken = default) =>
        SearchAsync(new SearchQuery { Text = text, Limit = limit, ExecutionId = executionId, Level = level, ScriptName = scriptName }, cancellationToken);

    /// <summary>Sync form of <see cref="SearchAsync(string, int, string?, string?, string?, CancellationToken)"/>.</summary>
    public static IReadOnlyList<SearchHit> Search(string text, int limit = 20, string? executionId = null, string? level = null, string? scriptName = null) =>
        SearchAsync(text, limit, executionId, level, scriptName).GetAwaiter().GetResult();

    /// <summary>Sync form of <see cref="SearchAsync(SearchQuery, CancellationToken)"/>.</summary>
    public static IReadOnlyList<SearchHit> Search(SearchQuery query) => SearchAsync(query).GetAwaiter().GetResult();

    /// <summary>A raw native query (SQL on SQLite, AQL on ArangoDB) with named parameters.</summary>
    public static async Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).QueryAsync(query, parameters, allowWrites, cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="QueryAsync"/>.</summary>
    public static RawQueryResult Query(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false) =>
        QueryAsync(query, parameters, allowWrites).GetAwaiter().GetResult();

    /// <summary>The final response of a run, or of the latest successful run of a script.</summary>
    public static async Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetLatestResponseAsync(scriptName, executionId, cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="GetLatestResponseAsync"/>.</summary>
    public static LatestResponse? GetLatestResponse(string? scriptName, string? executionId = null) =>
        GetLatestResponseAsync(scriptName, executionId).GetAwaiter().GetResult();

    /// <summary>Summary of a run.</summary>
    public static async Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetExecutionSummaryAsync(executionId, cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="GetExecutionSummaryAsync"/>.</summary>
    public static ExecutionSummary? GetExecutionSummary(string executionId) => GetExecutionSummaryAsync(executionId).GetAwaiter().GetResult();

    /// <summary>Errors of a run with context (default ± 5 seconds).</summary>
    public static async Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow? window = null, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetErrorsAsync(executionId, window ?? ContextWindow.Default, cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="GetErrorsAsync"/>.</summary>
    public static IReadOnlyList<ErrorWithContext> GetErrors(string executionId, ContextWindow? window = null) =>
        GetErrorsAsync(executionId, window).GetAwaiter().GetResult();

    /// <summary>Learnings, newest first.</summary>
    public static async Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery? query = null, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetLearningsAsync(query ?? new LearningQuery(), cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="GetLearningsAsync"/>.</summary>
    public static IReadOnlyList<AgentLearning> GetLearnings(LearningQuery? query = null) => GetLearningsAsync(query).GetAwaiter().GetResult();

    /// <summary>Deletes (or counts, for a dry run) old or selected records.</summary>
    public static async Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).PruneAsync(request, cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="PruneAsync"/>.</summary>
    public static PruneResult Prune(PruneRequest request) => PruneAsync(request).GetAwaiter().GetResult();

    /// <summary>A run as a graph: events, FOLLOWED_BY edges and stored relations.</summary>
    public static async Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default) =>
        await (await ReadyStoreAsync(cancellationToken).ConfigureAwait(false)).GetExecutionGraphAsync(executionId, cancellationToken).ConfigureAwait(false);

    /// <summary>Sync form of <see cref="GetExecutionGraphAsync"/>.</summary>
    public static ExecutionGraph? GetExecutionGraph(string executionId) => GetExecutionGraphAsync(executionId).GetAwaiter().GetResult();
}
