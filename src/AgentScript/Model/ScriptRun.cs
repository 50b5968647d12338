namespace AgentScript.Model;

/// <summary>One run of a script (<c>script_runs</c>).</summary>
public sealed record ScriptRun
{
    /// <summary>Key: <c>{script_name}_{yyyyMMdd_HHmmss}_{8 hex}</c>.</summary>
    public required string ExecutionId { get; init; }
    /// <summary>The script's name.</summary>
    public required string ScriptName { get; init; }
    /// <summary>The entry mode (<c>working</c>, <c>debug</c>, …).</summary>
    public required string Mode { get; init; }
    /// <summary>Current status.</summary>
    public required RunStatus Status { get; init; }
    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartTime { get; init; }
    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>Wall time in milliseconds.</summary>
    public double? DurationMs { get; init; }
    /// <summary>Process id of the script.</summary>
    public int Pid { get; init; }
    /// <summary>Host name of the script.</summary>
    public string? Host { get; init; }
    /// <summary>Run metadata as a JSON object text (arguments, description, …).</summary>
    public string? MetadataJson { get; init; }
    /// <summary>Why the run failed.</summary>
    public ExceptionInfo? Error { get; init; }
    /// <summary>The entry's return value as JSON, when it returned one.</summary>
    public string? FinalResponseJson { get; init; }
    /// <summary>Number of events logged during the run.</summary>
    public long MessagesLogged { get; init; }
    /// <summary>Events per level name.</summary>
    public IReadOnlyDictionary<string, long> CountsByLevel { get; init; } = new Dictionary<string, long>();
    /// <summary>The latest progress report.</summary>
    public RunProgress? Progress { get; init; }
    /// <summary>Optional quality score (0–1) reported by the script.</summary>
    public double? QualityScore { get; init; }
    /// <summary>Correlation id across runs.</summary>
    public string? CorrelationId { get; init; }
    /// <summary>Agent session id.</summary>
    public string? SessionId { get; init; }
    /// <summary>W3C trace id of the run's root Activity (32 hex digits): the run's trace in OpenTelemetry tools.</summary>
    public string? TraceId { get; init; }
}
