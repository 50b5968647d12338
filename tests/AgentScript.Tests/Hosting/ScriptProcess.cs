using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentScript.Tests.Hosting;

/// <summary>Runs tests/AgentScript.TestScript as a real child process with a clean, test-owned environment.</summary>
internal sealed class ScriptProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _markers = [];

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "AgentScript.TestScript.dll");

    private ScriptProcess(Process process)
    {
        _process = process;
    }

    public static ScriptProcess Start(string workingDirectory, string databasePath, params string[] args) =>
        Start(workingDirectory, databasePath, null, args);

    /// <summary>Starts the script with extra environment variables (set after the defaults, so they win).</summary>
    public static ScriptProcess Start(string workingDirectory, string databasePath, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ScriptPath);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        // Nothing of the developer's own configuration may leak into the child.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("ARANGO_", StringComparison.Ordinal) || key.StartsWith("LOG_", StringComparison.Ordinal) || key.StartsWith("AGENTSCRIPT_", StringComparison.Ordinal))
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["HOME"] = workingDirectory;
        info.Environment["XDG_DATA_HOME"] = Path.Combine(workingDirectory, "data");
        info.Environment["AGENTSCRIPT_STORE"] = "sqlite:" + databasePath;
        info.Environment["LOG_FLUSH_INTERVAL"] = "0.1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new ScriptProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(result._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(result._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            target.Append(line).Append('\n');
            foreach (var (marker, seen) in _markers)
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        }
    }

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits until a line containing <paramref name="marker"/> appears on stderr.</summary>
    public Task WaitForStderrAsync(string marker, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_stderr.ToString().Contains(marker, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            _markers.Add((marker, seen));
        }
        return seen.Task.WaitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The script did not exit within {timeout}. stderr:\n{Stderr}");
        }
        // Make sure the asynchronous readers have delivered everything.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
        }
    }

    public const int SIGINT = 2;
    public const int SIGTERM = 15;
    public const int SIGKILL = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
