using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Sanitizing;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;

namespace AgentScript.Hosting;

/// <summary>
/// One run of a script: its start record, progress, final response, learnings, relations and end record, all sent
/// through the process's <see cref="StoreWritePipeline"/>. <see cref="ScriptHost"/> creates one per invocation;
/// <see cref="AgentLog.StartRun"/> creates one for code that runs without the host.
/// </summary>
public sealed class AgentRun
{
    // The run of the current async flow: flow-local, so concurrent runs in one process never see each other's.
    private static readonly AsyncLocal<AgentRun?> s_current = new();
    private readonly StoreWritePipeline _pipeline;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _ended;

    private AgentRun(AgentRuntime runtime, string executionId, string scriptName, string mode, DateTimeOffset startTime)
    {
        Runtime = runtime;
        _pipeline = runtime.Pipeline;
        ExecutionId = executionId;
        ScriptName = scriptName;
        Mode = mode;
        StartTime = startTime;
        // The run's own events carry its identity even when logged outside the host's log-context scope
        // (an unhandled-exception handler, a signal handler).
        Logger = runtime.Logger
            .ForContext(LogProperties.ExecutionId, executionId)
            .ForContext(LogProperties.ScriptName, scriptName)
            .ForContext(LogProperties.Mode, mode);
    }

    /// <summary>The run of the current flow (set by the host, or by <see cref="AgentLog.StartRun"/>), or null.</summary>
    public static AgentRun? Current
    {
        get => s_current.Value;
        internal set => s_current.Value = value;
    }

    /// <summary>The execution id.</summary>
    public string ExecutionId { get; }
    /// <summary>The script's name.</summary>
    public string ScriptName { get; }
    /// <summary>The mode.</summary>
    public string Mode { get; }
    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartTime { get; }
    /// <summary>A logger whose events carry the run's execution id, script name and mode.</summary>
    public ILogger Logger { get; }
    /// <summary>The runtime the run belongs to (its pipeline, logger and store).</summary>
    internal AgentRuntime Runtime { get; }
    /// <summary>The pipeline the run writes through.</summary>
    internal StoreWritePipeline Pipeline => _pipeline;
    /// <summary>The store (for queries).</summary>
    public IAgentLogStore Store => _pipeline.Store;
    /// <summary>The status once ended, else null.</summary>
    public RunStatus? EndStatus { get; private set; }
    /// <summary>True once <see cref="End"/> was called.</summary>
    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Starts a run: writes its <c>script_runs</c> record and a RUN_START event.</summary>
    /// <param name="runtime">Where writes and events go.</param>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="mode">The mode (<c>working</c>, <c>debug</c>, …).</param>
    /// <param name="metadata">Any object (arguments, description…); stored made safe as JSON.</param>
    /// <param name="correlationId">Correlation id across runs.</param>
    /// <param name="sessionId">Agent session id.</param>
    internal static AgentRun Start(AgentRuntime runtime, string scriptName, string mode = "working",
        object? metadata = null, string? correlationId = null, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var pipeline = runtime.Pipeline;
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptName);
        ArgumentException.ThrowIfNullOrWhiteSpace(mode);
        var start = pipeline.Time.GetUtcNow();
        var run = new AgentRun(runtime, ExecutionIds.Create(scriptName, start), scriptName, mode, start);
        pipeline.Enqueue(new RunStartWrite(new ScriptRun
        {
            ExecutionId = run.ExecutionId,
            ScriptName = scriptName,
            Mode = mode,
            Status = RunStatus.Running,
            StartTime = start,
            Pid = Environment.ProcessId,
            Host = SafeHost(),
            MetadataJson = metadata is null ? null : ValueSanitizer.ToJson(metadata, pipeline.Options.PropertyLimits),
            CorrelationId = correlationId,
            SessionId = sessionId,
            TraceId = Tracing.RunTrace.CurrentTraceId(),
        }));
        run.Logger.ForContext(LogProperties.Category, LogCategories.RunStart)
            .Information("Run {ExecutionId} of {ScriptName} started in mode {Mode}", run.ExecutionId, scriptName, mode);
        return run;
    }

    /// <summary>Reports progress: updates the run record and logs a PROGRESS event.</summary>
    /// <param name="stage">What the script is doing now.</param>
    /// <param name="percent">0–100 (clamped).</param>
    /// <param name="metadata">Extra details (made safe).</param>
    public void Progress(string stage, double percent, object? metadata = null)
    {
        stage = string.IsNullOrWhiteSpace(stage) ? "(unnamed stage)" : ValueSanitizer.TruncateString(stage, _pipeline.Options.PropertyLimits);
        percent = double.IsFinite(percent) ? Math.Clamp(percent, 0, 100) : 0;
        var metadataJson = metadata is null ? null : ValueSanitizer.ToJson(metadata, _pipeline.Options.PropertyLimits);
        _pipeline.Enqueue(new ProgressWrite(ExecutionId, new RunProgress(stage, percent, _pipeline.Time.GetUtcNow(), metadataJson)));
        var log = Logger.ForContext(LogProperties.Category, LogCategories.Progress);
        if (metadata is not null)
        {
            log = log.ForContext("Metadata", metadata, destructureObjects: true);
        }
        log.Information("Progress: {Stage} {Percent}%", stage, percent);
    }

    /// <summary>Records <paramref name="value"/> as the run's final response (JSON) and logs a SCRIPT_FINAL_RESPONSE event.</summary>
    /// <returns>The JSON text stored: bounded by the payload limits and redacted (what may be printed, too).</returns>
    public string RecordFinalResponse(object? value, Type? declaredType = null) =>
        RecordFinalResponseJson(FinalResponseJson.Serialize(value, declaredType, _pipeline.Options.PayloadLimits));

    /// <summary>The JSON text of an entry's return value within this run's payload limits (see <see cref="FinalResponseJson"/>).</summary>
    internal string SerializeFinalResponse(object? value, out Exception? enumerationFailure) =>
        FinalResponseJson.Serialize(value, _pipeline.Options.PayloadLimits, out enumerationFailure);

    /// <summary>Records JSON text as the run's final response.</summary>
    /// <returns>The JSON text stored: bounded by the payload limits and redacted.</returns>
    public string RecordFinalResponseJson(string json)
    {
        var safe = ValueSanitizer.SanitizeJson(json, _pipeline.Options.PayloadLimits);
        _pipeline.Enqueue(new FinalResponseWrite(ExecutionId, safe));
        Logger
            .ForContext(LogProperties.Category, LogCategories.FinalResponse)
            .ForContext(LogEventMapper.PayloadProperty, safe)
            .Information("Final response of {ScriptName}: {ResponsePreview}", ScriptName, ValueSanitizer.TruncateString(safe, new ValueLimits { MaxStringLength = 300 }));
        return safe;
    }

    /// <summary>Stores a learning of this run and logs an AGENT_LEARNING event.</summary>
    public AgentLearning AddLearning(string learning, string? functionName = null, string? context = null, double confidence = 0.8)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(learning);
        var item = new AgentLearning
        {
            LearningId = EventIds.New(),
            Timestamp = _pipeline.Time.GetUtcNow(),
            Learning = ValueSanitizer.TruncateString(learning, _pipeline.Options.PayloadLimits),
            ExecutionId = ExecutionId,
            ScriptName = ScriptName,
            FunctionName = functionName,
            Context = context is null ? null : ValueSanitizer.TruncateString(context, _pipeline.Options.PayloadLimits),
            Confidence = double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 0.8,
        };
        _pipeline.Enqueue(new LearningWrite(item));
        var log = Logger.ForContext(LogProperties.Category, LogCategories.Learning);
        if (functionName is not null)
        {
            log = log.ForContext(LogProperties.FunctionName, functionName);
        }
        log.Information("Learning: {Learning} (confidence {Confidence})", item.Learning, item.Confidence);
        return item;
    }

    /// <summary>Stores a relation (handles such as <c>script_runs/{id}</c>, <c>log_events/{id}</c>).</summary>
    public LogRelation Relate(string from, string to, string type, string? rationale = null, double confidence = 1.0,
        string? createdBy = null, DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null) =>
        Runtime.EnqueueRelation(from, to, type, rationale, confidence, createdBy ?? ScriptName, validFrom, validTo);

    /// <summary>
    /// Ends the run: logs a RUN_END event and writes status, duration, error and the counts of events logged.
    /// Only the first call counts.
    /// </summary>
    /// <returns>False when the run had already ended.</returns>
    public bool End(RunStatus status, Exception? error = null, double? qualityScore = null)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }
        if (status == RunStatus.Running)
        {
            status = RunStatus.Success;
        }
        EndStatus = status;
        var duration = _clock.Elapsed.TotalMilliseconds;
        var log = Logger.ForContext(LogProperties.Category, LogCategories.RunEnd);
        if (status == RunStatus.Success)
        {
            log.Information("Run {ExecutionId} ended: {Status} in {DurationMs:0} ms", ExecutionId, status.ToName(), duration);
        }
        else
        {
            log.Warning("Run {ExecutionId} ended: {Status} in {DurationMs:0} ms", ExecutionId, status.ToName(), duration);
        }
        var (total, byLevel) = _pipeline.GetRunCounts(ExecutionId);
        _pipeline.Enqueue(new RunEndWrite(new RunEnd
        {
            ExecutionId = ExecutionId,
            Status = status,
            EndTime = _pipeline.Time.GetUtcNow(),
            DurationMs = duration,
            Error = error is null ? null : ExceptionText.Capture(error, _pipeline.Options.PropertyLimits.Secrets),
            MessagesLogged = total,
            CountsByLevel = byLevel,
            QualityScore = qualityScore,
        }));
        _pipeline.ForgetRun(ExecutionId);
        return true;
    }

    private static string SafeHost()
    {
        try
        {
            return Environment.MachineName;
        }
        catch (Exception)
        {
            return "unknown";
        }
    }
}
