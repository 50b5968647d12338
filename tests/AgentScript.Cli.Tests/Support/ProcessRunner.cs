// Job: run the built agentlog tool as a real child process (through the shared process runner).
namespace AgentScript.Cli.Tests.Support;

/// <summary>Runs the built <c>agentlog.dll</c> as a real child process with exactly the given environment.</summary>
public static class ProcessRunner
{
    /// <summary>The tool's assembly, copied next to the tests by the project reference.</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "agentlog.dll");

    /// <summary>Runs <paramref name="assembly"/> (default the tool) with <c>dotnet</c> in exactly <paramref name="environment"/>.</summary>
    public static async Task<CliResult> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment, string workingDirectory, TimeSpan? timeout = null, string? assembly = null)
    {
        var result = await global::AgentScript.Tests.Shared.ProcessRunner.RunAsync(
            "dotnet", [assembly ?? ToolPath, .. args], workingDirectory, environment, timeout ?? TimeSpan.FromMinutes(2),
            TestContext.Current.CancellationToken, inheritEnvironment: false);
        return new CliResult(result.ExitCode, result.StdOut, result.StdErr);
    }
}
