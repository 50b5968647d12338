// Job: read the script name and start time out of an execution id, for both stores.
using System.Globalization;

namespace AgentScript.Storage.Rules;

/// <summary>
/// The parts of an execution id <c>{script}_{yyyyMMdd_HHmmss}_{8 hex}</c>. A store uses them to make a placeholder run
/// when a progress, end or response write arrives before the run's start (replays can reorder).
/// </summary>
internal static class ExecutionIdParts
{
    /// <summary>Script name and start time (UTC) when the id has the usual form; both null otherwise.</summary>
    public static (string? Script, DateTimeOffset? Start) Parse(string executionId)
    {
        var parts = executionId.Split('_');
        if (parts.Length >= 4
            && DateTime.TryParseExact(parts[^3] + parts[^2], "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
        {
            return (string.Join('_', parts[..^3]), new DateTimeOffset(start, TimeSpan.Zero));
        }
        return (null, null);
    }
}
