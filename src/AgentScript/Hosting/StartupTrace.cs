using System.Diagnostics;
using System.Globalization;

namespace AgentScript.Hosting;

/// <summary>
/// Where a script's start-up time goes, for the start-up benchmark and for anyone asking why a script is slow to
/// start: with <c>AGENTSCRIPT_STARTUP_TRACE=1</c> the host records milestones (time, methods JIT-compiled so far) and
/// prints them on stderr at exit. Off by default; then each milestone costs one static field read.
/// </summary>
internal static class StartupTrace
{
    /// <summary>The variable that turns the trace on.</summary>
    public const string Variable = "AGENTSCRIPT_STARTUP_TRACE";

    private static readonly bool s_enabled = Environment.GetEnvironmentVariable(Variable) == "1";
    private static readonly List<(string What, long At, long JitMethods, TimeSpan JitTime)> s_marks = [];

    /// <summary>Records a milestone (when enabled).</summary>
    public static void Mark(string what)
    {
        if (s_enabled)
        {
            lock (s_marks)
            {
                s_marks.Add((what, Stopwatch.GetTimestamp(), System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime()));
            }
        }
    }

    /// <summary>Prints the milestones, in ms from process start (when enabled).</summary>
    public static void Report(TextWriter output)
    {
        if (!s_enabled)
        {
            return;
        }
        // Read the process start time only now: it is slow the first time and would distort the milestones.
        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        var now = Stopwatch.GetTimestamp();
        lock (s_marks)
        {
            foreach (var (what, at, jitMethods, jitTime) in s_marks)
            {
                var ms = (sinceStart - Stopwatch.GetElapsedTime(at, now)).TotalMilliseconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"startup-trace: {ms,7:0.0} ms  {what}  (JIT: {jitMethods} methods, {jitTime.TotalMilliseconds:0.0} ms)"));
            }
            s_marks.Clear();
        }
    }
}
