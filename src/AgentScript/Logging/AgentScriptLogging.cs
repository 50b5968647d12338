// Job: let Microsoft.Extensions.Logging (ILogger) write into the run, through the Serilog bridge.
using AgentScript.Tracing;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace AgentScript.Logging;

/// <summary>
/// Bridges <see cref="Microsoft.Extensions.Logging.ILogger"/> to the run's Serilog logger (Serilog.Extensions.Logging),
/// so libraries and hosts that log through ILogger write events stored with the run's execution id, the enclosing
/// span and the category as <c>source_context</c>.
/// </summary>
public static class AgentScriptLogging
{
    /// <summary>
    /// A logger factory writing into the current run (outside a run: the process logger). The factory does not
    /// own the run's logger; disposing it is optional.
    /// </summary>
    public static ILoggerFactory CreateLoggerFactory() => new SerilogLoggerFactory(SpanLogger.Current(), dispose: false);

    /// <summary>
    /// Adds the run as a logging provider, for example to an <c>IHost</c>:
    /// <c>builder.Logging.AddAgentScript()</c>. Call it inside the run (in the entry).
    /// </summary>
    /// <param name="builder">The logging builder.</param>
    /// <returns>The same builder.</returns>
    public static ILoggingBuilder AddAgentScript(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSerilog(SpanLogger.Current(), dispose: false);
    }
}
