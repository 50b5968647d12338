// Job: one AgentScript runtime instance (configuration, write pipeline, logger, store) and the lookup of the current one.
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;

namespace AgentScript.Hosting;

/// <summary>
/// Everything a process needs to record runs: its configuration, the one write pipeline (and through it the store)
/// and the logger whose sink feeds that pipeline. <see cref="ScriptHost"/> makes one per invocation and makes it
/// current for the entry's flow; <see cref="AgentLog.Configure"/> (or the first <see cref="AgentLog"/> call outside
/// a host) makes the standalone one. <see cref="AgentLog"/>, <see cref="AgentRun"/> and traced calls all find their
/// runtime through <see cref="Resolve"/> / <see cref="Find"/> instead of reading any global logger.
/// </summary>
internal sealed class AgentRuntime : IAsyncDisposable, IDisposable
{
    // The runtime of the current async flow (set by the host around its entry). Flow-local, so two hosts in one
    // process (tests, embedding) never see each other's runtime.
    private static readonly AsyncLocal<AgentRuntime?> s_flow = new();

    // The standalone runtime: the one process-wide pointer left. It is written only under s_standaloneLock, by an
    // explicit AgentLog.Configure/CloseAndFlushAsync or by the first AgentLog call outside any host, and it is read
    // only when neither a run nor a host runtime is current; the object it points to is itself thread-safe.
    private static readonly Lock s_standaloneLock = new();
    private static AgentRuntime? s_standalone;

    private readonly Serilog.Core.Logger? _ownedLogger;
    private readonly bool _ownsPipeline;
    private int _disposed;

    /// <param name="options">The configuration this runtime was built from.</param>
    /// <param name="pipeline">The write pipeline (owns the store when it was opened from the configuration).</param>
    /// <param name="logger">The logger whose sinks include <paramref name="pipeline"/>'s sink.</param>
    /// <param name="ownsLoggerAndPipeline">Dispose both with this runtime.</param>
    internal AgentRuntime(AgentScriptOptions options, StoreWritePipeline pipeline, Serilog.Core.Logger logger, bool ownsLoggerAndPipeline)
    {
        Options = options;
        Pipeline = pipeline;
        Logger = logger;
        _ownedLogger = ownsLoggerAndPipeline ? logger : null;
        _ownsPipeline = ownsLoggerAndPipeline;
    }

    public AgentScriptOptions Options { get; }
    public StoreWritePipeline Pipeline { get; }
    public ILogger Logger { get; }
    public IAgentLogStore Store => Pipeline.Store;

    /// <summary>The runtime the host made current for this flow, or null.</summary>
    public static AgentRuntime? Current => s_flow.Value;

    /// <summary>Makes <paramref name="runtime"/> current for the calling flow (null clears it).</summary>
    internal static void SetCurrent(AgentRuntime? runtime) => s_flow.Value = runtime;

    /// <summary>A runtime that owns a pipeline and a logger built from <paramref name="options"/> (no console output).</summary>
    public static AgentRuntime Create(AgentScriptOptions options)
    {
        var pipeline = StoreWritePipeline.Create(options);
        var logger = new LoggerConfiguration()
            .WithSafeCapture()
            .MinimumLevel.Verbose()
            .Enrich.FromLogContext()
            .Enrich.With(new SecretRedactionEnricher())
            .WriteTo.AgentStore(pipeline)
            .CreateLogger();
        return new AgentRuntime(options, pipeline, logger, ownsLoggerAndPipeline: true);
    }

    /// <summary>
    /// The runtime of the current run, else the host's for this flow, else the standalone one (configured from the
    /// environment and <c>.env</c> on first use).
    /// </summary>
    public static AgentRuntime Resolve()
    {
        if (Find() is { } found)
        {
            return found;
        }
        lock (s_standaloneLock)
        {
            if (s_standalone is null)
            {
                s_standalone = Create(AgentScriptConfiguration.Load());
                // Queued writes of a process that never calls CloseAndFlushAsync still reach the store or the buffer.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseStandaloneAsync().Wait(TimeSpan.FromSeconds(10));
            }
            return s_standalone;
        }
    }

    /// <summary>Like <see cref="Resolve"/>, but never creates the standalone runtime.</summary>
    public static AgentRuntime? Find() => AgentRun.Current?.Runtime ?? s_flow.Value ?? Volatile.Read(ref s_standalone);

    /// <summary>
    /// The logger a traced call writes its span events to: the current run's (so the events carry its execution id),
    /// else the current runtime's. Null when no runtime exists in this process.
    /// </summary>
    public static ILogger? SpanLogger() => AgentRun.Current?.Logger ?? Find()?.Logger;

    /// <summary>Replaces the standalone runtime with one built from <paramref name="options"/>; the old one is flushed and closed.</summary>
    public static void ConfigureStandalone(AgentScriptOptions options)
    {
        var runtime = Create(options);
        AgentRuntime? old;
        lock (s_standaloneLock)
        {
            old = s_standalone;
            s_standalone = runtime;
        }
        old?.Dispose();
    }

    /// <summary>Flushes and closes the standalone runtime, if there is one.</summary>
    public static async Task CloseStandaloneAsync()
    {
        AgentRuntime? old;
        lock (s_standaloneLock)
        {
            old = s_standalone;
            s_standalone = null;
        }
        if (old is not null)
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Flushes what this runtime queued and makes sure the store is open; throws when it is not reachable.</summary>
    public async Task<IAgentLogStore> ReadyStoreAsync(CancellationToken cancellationToken)
    {
        await Pipeline.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (await Pipeline.InitializeStoreAsync(cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new StoreUnavailableException(problem);
        }
        return Pipeline.Store;
    }

    /// <summary>Logs a SCRIPT_FINAL_RESPONSE event that belongs to no run.</summary>
    public void LogFinalResponseOutsideRun(object? response)
    {
        var json = ValueSanitizer.SanitizeJson(FinalResponseJson.Serialize(response, response?.GetType() ?? typeof(object)), Pipeline.Options.PayloadLimits);
        Logger.ForContext(LogProperties.Category, LogCategories.FinalResponse)
            .ForContext(LogEventMapper.PayloadProperty, json)
            .Information("Final response: {ResponsePreview}", ValueSanitizer.TruncateString(json, new ValueLimits { MaxStringLength = 300 }));
    }

    /// <summary>Stores a learning that belongs to no run and logs an AGENT_LEARNING event.</summary>
    public AgentLearning AddLearningOutsideRun(string learning, string? functionName, string? context, double confidence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(learning);
        var item = new AgentLearning
        {
            LearningId = EventIds.New(),
            Timestamp = Pipeline.Time.GetUtcNow(),
            Learning = ValueSanitizer.TruncateString(learning, Pipeline.Options.PayloadLimits),
            FunctionName = functionName,
            Context = context is null ? null : ValueSanitizer.TruncateString(context, Pipeline.Options.PayloadLimits),
            Confidence = double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 0.8,
        };
        Pipeline.Enqueue(new LearningWrite(item));
        Logger.ForContext(LogProperties.Category, LogCategories.Learning).Information("Learning: {Learning} (confidence {Confidence})", item.Learning, item.Confidence);
        return item;
    }

    /// <summary>Validates and queues a relation between two handles.</summary>
    public LogRelation EnqueueRelation(string from, string to, string type, string? rationale, double confidence,
        string? createdBy, DateTimeOffset? validFrom, DateTimeOffset? validTo)
    {
        ValidateRelation(from, to, type, validFrom, validTo);
        var normalizedType = type.Trim().ToUpperInvariant().Replace(' ', '_').Replace('-', '_');
        var now = Pipeline.Time.GetUtcNow();
        var relation = new LogRelation
        {
            RelationId = EventIds.New(),
            From = from,
            To = to,
            Type = normalizedType,
            Rationale = rationale is null ? null : ValueSanitizer.TruncateString(rationale, Pipeline.Options.PayloadLimits),
            Confidence = double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 1.0,
            CreatedBy = createdBy,
            CreatedAt = now,
            ValidFrom = validFrom ?? now,
            ValidTo = validTo,
        };
        Pipeline.Enqueue(new RelationWrite(relation));
        return relation;
    }

    /// <summary>Throws for a relation that cannot be stored (checked before any runtime is needed).</summary>
    public static void ValidateRelation(string from, string to, string type, DateTimeOffset? validFrom, DateTimeOffset? validTo)
    {
        ValidateHandle(from, nameof(from));
        ValidateHandle(to, nameof(to));
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (validFrom is { } vf && validTo is { } vt && vt < vf)
        {
            throw new ArgumentException("validTo is earlier than validFrom.", nameof(validTo));
        }
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

    /// <summary>Closes the logger, then drains and closes the pipeline (when this runtime owns them).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _ownedLogger?.Dispose();
        if (_ownsPipeline)
        {
            Pipeline.Dispose();
        }
    }

    /// <summary>Closes the logger, then drains and closes the pipeline (when this runtime owns them).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_ownedLogger is not null)
        {
            await _ownedLogger.DisposeAsync().ConfigureAwait(false);
        }
        if (_ownsPipeline)
        {
            await Pipeline.DisposeAsync().ConfigureAwait(false);
        }
    }
}
