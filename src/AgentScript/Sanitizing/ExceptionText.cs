// Job: an exception as stored — type, message and trace made safe (redacted, cut), never throwing.
using AgentScript.Model;

namespace AgentScript.Sanitizing;

/// <summary>Captures an exception for the store (an event's <c>exception</c>, a run's <c>error</c>) through the text rule.</summary>
internal static class ExceptionText
{
    /// <summary>Longest stored exception message or trace.</summary>
    public const int MaxLength = 100_000;

    private const int MaxTypeLength = 1000;
    private const int MaxDataUriLength = 100;

    /// <summary>The safe form of <paramref name="exception"/>; a throwing <c>Message</c> or <c>ToString()</c> gives a placeholder.</summary>
    public static ExceptionInfo Capture(Exception exception, KnownSecrets secrets)
    {
        string message, trace;
        try
        {
            message = exception.Message;
        }
        catch (Exception)
        {
            message = "<message unavailable>";
        }
        try
        {
            trace = exception.ToString();
        }
        catch (Exception)
        {
            trace = exception.StackTrace ?? "";
        }
        var type = exception.GetType();
        return new ExceptionInfo(
            TextCleaner.Clean(type.FullName ?? type.Name, MaxTypeLength, MaxDataUriLength, secrets),
            TextCleaner.Clean(message, MaxLength, MaxDataUriLength, secrets),
            TextCleaner.Clean(trace, MaxLength, MaxDataUriLength, secrets));
    }
}
