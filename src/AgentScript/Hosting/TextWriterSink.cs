using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace AgentScript.Hosting;

/// <summary>Human log output to a given <see cref="TextWriter"/> (used when the host is handed its own stderr).</summary>
internal sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
