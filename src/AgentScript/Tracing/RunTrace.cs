// Job: read the trace id a run record stores.
using System.Diagnostics;

namespace AgentScript.Tracing;

/// <summary>The trace a run belongs to.</summary>
internal static class RunTrace
{
    /// <summary>
    /// The W3C trace id of <see cref="Activity.Current"/> (the host's root Activity, or whatever Activity encloses a
    /// run started with <see cref="AgentLog.StartRun"/>), or null when there is none.
    /// </summary>
    public static string? CurrentTraceId() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null;
}
