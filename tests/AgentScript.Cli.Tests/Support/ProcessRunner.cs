using System.Diagnostics;

namespace AgentScript.Cli.Tests.Support;

/// <summary>Runs the built <c>agentlog.dll</c> as a real child process.</summary>
public static class ProcessRunner
{
    /// <summary>The tool's assembly, copied next to the tests by the project reference.</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "agentlog.dll");

    /// <summary>Runs <paramref name="assembly"/> (default the tool) with <c>dotnet</c> in exactly <paramref name="environment"/>.</summary>
    public static async Task<CliResult> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment, string workingDirectory, TimeSpan? timeout = null, string? assembly = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(assembly ?? ToolPath);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Clear();
        foreach (var (k, v) in environment)
        {
            if (v is not null)
            {
                psi.Environment[k] = v;
            }
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
