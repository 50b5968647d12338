// Job: the human log output on stderr — each event rendered, redacted and bounded before it is written.
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace AgentScript.Sanitizing;

/// <summary>
/// Writes each event as one human-readable line to a text writer (stderr), through the text rule: secrets redacted
/// by value wherever they sit (template text, rendered values, exception message and stack), and at most
/// <see cref="MaxEventChars"/> characters per event (head and tail kept), so a huge value cannot flood the console.
/// </summary>
internal sealed class ConsoleEcho(TextWriter writer, string outputTemplate, KnownSecrets secrets) : ILogEventSink
{
    /// <summary>Longest text written for one event.</summary>
    public const int MaxEventChars = 16_000;

    private readonly MessageTemplateTextFormatter _formatter = new(outputTemplate, CultureInfo.InvariantCulture);
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, text);
        var line = TextCleaner.Clean(text.ToString(), MaxEventChars, MaxEventChars, secrets);
        if (line.Length > 0 && line[^1] != '\n')
        {
            line += Environment.NewLine;
        }
        lock (_lock)
        {
            writer.Write(line);
            writer.Flush();
        }
    }
}
