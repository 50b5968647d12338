// Job: the rules shared by traced and captured spans — which Activity counts as a stored span, and its stored parent.
using System.Diagnostics;

namespace AgentScript.Tracing;

/// <summary>Marks Activities that are stored spans of a run and finds a span's stored parent.</summary>
internal static class SpanRecording
{
    /// <summary>Custom property on an Activity that is a stored span (a <see cref="TraceSpan"/> or a captured span).</summary>
    public const string SpanProperty = "agentscript.span";

    /// <summary>Custom property on a run's root Activity.</summary>
    public const string RootProperty = "agentscript.root";

    /// <summary>OpenTelemetry attribute naming the traced method.</summary>
    public const string FunctionNameAttribute = "code.function.name";

    /// <summary>OpenTelemetry attribute naming the error (exception type, or an HTTP status code).</summary>
    public const string ErrorTypeAttribute = "error.type";

    /// <summary>
    /// The span id stored as <c>parent_span_id</c>: the nearest enclosing Activity that is itself a stored span.
    /// Null directly under the run's root (the run record is the root; top-level spans keep a null parent, as the
    /// report and queries expect) and under Activities the run does not record.
    /// </summary>
    public static string? StoredParentId(Activity activity)
    {
        for (var p = activity.Parent; p is not null; p = p.Parent)
        {
            if (p.GetCustomProperty(SpanProperty) is not null)
            {
                return p.SpanId.ToHexString();
            }
            if (p.GetCustomProperty(RootProperty) is not null)
            {
                return null;
            }
        }
        return null;
    }
}
