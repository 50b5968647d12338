// Job: run a real child process with a controlled environment and capture both streams (linked into every test
// project that starts processes, so there is one process runner).
using System.Diagnostics;
using System.Text;

namespace AgentScript.Tests.Shared;

/// <summary>The outcome of a finished process.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Everything worth showing when an assertion fails.</summary>
    public string Describe() => $"$ {Command}\nexit code {ExitCode}\n--- stdout ---\n{Tail(StdOut)}\n--- stderr ---\n{Tail(StdErr)}";

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}

/// <summary>
/// Runs real processes with a controlled environment (the test's own, changed by <c>environment</c>, or only
/// <c>environment</c> when <c>inheritEnvironment</c> is false), capturing both streams.
/// </summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        bool inheritEnvironment = true)
    {
        var args = arguments.ToList();
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (!inheritEnvironment)
        {
            psi.Environment.Clear();
        }
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        var command = fileName + " " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {command}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{command} did not finish within {timeout}.\n{await stdout}\n{await stderr}");
        }
        return new ProcessResult(command, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The environment for child dotnet processes: the MSBuild/test-host variables that `dotnet test` sets are
    /// removed (they would point a child build at this host's SDK state), build servers are off so nothing is
    /// left running, and <paramref name="overrides"/> win.
    /// </summary>
    public static Dictionary<string, string?> CleanEnvironment(IReadOnlyDictionary<string, string?> overrides)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var key = (string)e.Key;
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("AGENTSCRIPT_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ARANGO_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("LOG_", StringComparison.OrdinalIgnoreCase) || key is "DOTNET_HOST_PATH" or "NUGET_PACKAGES")
            {
                env[key] = null;
            }
        }
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["UseSharedCompilation"] = "false";
        env["NUGET_CERT_REVOCATION_MODE"] = "offline";
        foreach (var (key, value) in overrides)
        {
            env[key] = value;
        }
        return env;
    }
}
