namespace AgentScript.Model;

/// <summary>Converts <see cref="RunStatus"/> to and from its stored lower-case name.</summary>
internal static class RunStatusNames
{
    /// <summary>The stored name (<c>running success failed cancelled abandoned</c>).</summary>
    public static string ToName(this RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Success => "success",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        _ => "abandoned",
    };

    /// <summary>Parses a stored or user-supplied name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not a status name.</exception>
    public static RunStatus Parse(string name) => name.ToLowerInvariant() switch
    {
        "running" => RunStatus.Running,
        "success" or "succeeded" => RunStatus.Success,
        "failed" or "failure" => RunStatus.Failed,
        "cancelled" or "canceled" => RunStatus.Cancelled,
        "abandoned" => RunStatus.Abandoned,
        _ => throw new ArgumentException(
            $"Unknown run status '{name}'. Use one of: running, success, failed, cancelled, abandoned.", nameof(name)),
    };
}
