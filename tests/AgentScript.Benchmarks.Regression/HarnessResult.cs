namespace AgentScript.Benchmarks.Regression;

/// <summary>What one harness process measured (the parent reads it back with the same shape).</summary>
public sealed record HarnessResult
{
    public required string Mode { get; init; }
    public required int Events { get; init; }
    /// <summary>Caller wall time per log call in the timed loop.</summary>
    public double CallerNsPerCall { get; init; }
    /// <summary>Bytes the calling thread allocated per call in the timed loop.</summary>
    public double CallerBytesPerCall { get; init; }
    /// <summary>Bytes every thread allocated per event, from the first timed call until the pipeline was drained.</summary>
    public double AllThreadBytesPerEvent { get; init; }
    /// <summary>Events per second from the first call until every event was committed (the logger disposed).</summary>
    public double EventsPerSecond { get; init; }
    public double CpuSeconds { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    /// <summary>Bytes of the store's files per event (ingest: after FTS optimize and VACUUM, so content alone decides).</summary>
    public double StoreBytesPerEvent { get; init; }
    /// <summary>Events logged (warm-up included) that the store does not hold afterwards; 0 when nothing was lost.</summary>
    public long MissingRows { get; init; }
    public double SearchCommonP50Ms { get; init; }
    public double SearchRareP50Ms { get; init; }
    /// <summary>Milliseconds from the process's start until its first event was committed (a fresh store).</summary>
    public double StartupMs { get; init; }
}
