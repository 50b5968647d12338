// Job: the one ActivitySource of the product and the names of the attributes it sets.
using System.Diagnostics;

namespace AgentScript.Tracing;

/// <summary>
/// The product's <see cref="ActivitySource"/> (<c>AgentScript</c>): the run's root Activity and every
/// <see cref="TracedAttribute"/> span come from it, so any OpenTelemetry tool that listens to it sees them.
/// </summary>
public static class AgentScriptActivitySource
{
    /// <summary>The source name to listen to (<c>AgentScript</c>).</summary>
    public const string Name = "AgentScript";

    /// <summary>Span attribute carrying the run's execution id on every Activity of a run.</summary>
    public const string ExecutionIdAttribute = "agentscript.execution_id";

    /// <summary>Operation name of a run's root Activity.</summary>
    internal const string RunOperationName = "agentscript.run";

    // Immutable once made; every span in the process shares it (as OpenTelemetry recommends: one per component).
    internal static readonly ActivitySource Source = new(Name, typeof(AgentScriptActivitySource).Assembly.GetName().Version?.ToString(3));
}
