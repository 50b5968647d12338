using System.Diagnostics;
using System.Globalization;
using AgentScript.Cli.Infrastructure;

namespace AgentScript.Cli.Output;

/// <summary>
/// Progress of a long operation on stderr — only when stderr is an interactive terminal, so pipes, files and
/// agents reading the output see nothing of it.
/// </summary>
internal sealed class TerminalProgress : IDisposable
{
    private readonly TextWriter? _writer;
    private readonly string _label;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastShownMs = -1000;

    private TerminalProgress(TextWriter? writer, string label)
    {
        _writer = writer;
        _label = label;
        _writer?.Write($"\r{_label}");
    }

    /// <summary>Starts showing progress (a no-op unless stderr is a terminal).</summary>
    public static TerminalProgress Start(CliContext ctx, string label) =>
        new(ctx.Settings.ErrorIsTerminal ? ctx.Error : null, label);

    /// <summary>Whether anything is shown.</summary>
    public bool Visible => _writer is not null;

    /// <summary>Reports a count, at most a few times per second.</summary>
    public void Report(long count, string unit)
    {
        if (_writer is null || _clock.ElapsedMilliseconds - _lastShownMs < 200)
        {
            return;
        }
        _lastShownMs = _clock.ElapsedMilliseconds;
        _writer.Write($"\r{_label} {count.ToString("N0", CultureInfo.InvariantCulture)} {unit}   ");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_writer is not null)
        {
            _writer.Write("\r" + new string(' ', Math.Min(120, _label.Length + 40)) + "\r");
            _writer.Flush();
        }
    }
}
