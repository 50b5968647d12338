using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>Filters for listing runs, newest first.</summary>
public sealed record RunQuery
{
    /// <summary>Only this script.</summary>
    public string? ScriptName { get; init; }
    /// <summary>Only runs with this status (abandoned runs are those left running by a dead process).</summary>
    public RunStatus? Status { get; init; }
    /// <summary>Only runs started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Page size.</summary>
    public int Limit { get; init; } = 20;
    /// <summary>Runs to skip.</summary>
    public int Offset { get; init; }
}
