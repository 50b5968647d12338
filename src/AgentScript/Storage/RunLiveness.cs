using System.Diagnostics;
using AgentScript.Model;

namespace AgentScript.Storage;

/// <summary>
/// Tells whether a run left <c>running</c> still has a live process, so stores can report dead ones as
/// <see cref="RunStatus.Abandoned"/>. Only runs of this host can be judged; others are reported as stored.
/// </summary>
internal static class RunLiveness
{
    /// <summary>The run with its status corrected: <c>abandoned</c> when it is running on this host but its process is gone.</summary>
    public static ScriptRun Resolve(ScriptRun run) =>
        run.Status == RunStatus.Running && IsAbandoned(run.Pid, run.Host, run.StartTime)
            ? run with { Status = RunStatus.Abandoned }
            : run;

    /// <summary>True when <paramref name="pid"/> on <paramref name="host"/> (this machine) is not the process that started the run.</summary>
    public static bool IsAbandoned(int pid, string? host, DateTimeOffset startTime)
    {
        if (pid <= 0 || host is null || !string.Equals(host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (pid == Environment.ProcessId)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return true;
            }
            try
            {
                // A reused pid: the process now holding it started after the run did.
                return process.StartTime.ToUniversalTime() > startTime.UtcDateTime.AddSeconds(2);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
