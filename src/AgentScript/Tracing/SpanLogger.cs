// Job: say which logger a span's events go through (the run that owns the span).
using AgentScript.Hosting;
using Serilog;

namespace AgentScript.Tracing;

/// <summary>
/// Where span events are logged: through the run of the current flow, so they land in that run even when the
/// process holds several runs; the process logger only outside any run.
/// </summary>
internal static class SpanLogger
{
    /// <summary>The logger of the current run (or of the runtime of this flow), else the process logger: with no
    /// AgentScript runtime in the process, the span goes to Serilog's Log.Logger, the program's own logger.</summary>
    public static ILogger Current() => AgentRuntime.SpanLogger() ?? Log.Logger;

    /// <summary>The logger of <paramref name="run"/>, else the process logger.</summary>
    public static ILogger For(AgentRun? run) => run?.Logger ?? Log.Logger;
}
