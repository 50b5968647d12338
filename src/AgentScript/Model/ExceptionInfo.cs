namespace AgentScript.Model;

/// <summary>An exception as stored: its type, message and stack trace (inner exceptions included in the trace).</summary>
/// <param name="Type">Full type name of the exception.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">The full <c>ToString()</c> text, inner exceptions included; may be absent.</param>
public sealed record ExceptionInfo(string Type, string Message, string? StackTrace = null)
{
    /// <summary>Captures an exception.</summary>
    public static ExceptionInfo From(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.ToString());
}
