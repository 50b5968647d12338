namespace AgentScript.Queries;

/// <summary>How a script (or every script) has done over the last N days.</summary>
public sealed record PerformanceReport
{
    /// <summary>The script, or null for all scripts.</summary>
    public string? ScriptName { get; init; }
    /// <summary>The window in days.</summary>
    public required int Days { get; init; }
    /// <summary>Per-script figures.</summary>
    public required IReadOnlyList<ScriptPerformance> Scripts { get; init; }
    /// <summary>Errors (ERROR + CRITICAL events) and failed runs per day, oldest first.</summary>
    public required IReadOnlyList<DailyTrend> Trend { get; init; }
}

/// <summary>Figures for one script.</summary>
public sealed record ScriptPerformance(
    string ScriptName, int Runs, int Succeeded, int Failed, int Cancelled, int Abandoned,
    double SuccessRate, double? P50Ms, double? P90Ms, double? P99Ms, double? MaxMs);

/// <summary>One day of the trend.</summary>
public sealed record DailyTrend(DateOnly Day, int Runs, int FailedRuns, long Errors);
