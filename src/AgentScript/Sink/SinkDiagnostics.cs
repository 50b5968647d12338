// Job: the one place the write path reports problems to a person (standard error by default).
namespace AgentScript.Sink;

/// <summary>Best-effort warnings: a failing diagnostics writer never disturbs logging.</summary>
internal sealed class SinkDiagnostics(TextWriter writer)
{
    public void Warn(string message)
    {
        try
        {
            writer.WriteLine(message);
            writer.Flush();
        }
        catch (Exception)
        {
            // Diagnostics are best effort.
        }
    }
}
