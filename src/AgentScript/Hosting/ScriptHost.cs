namespace AgentScript.Hosting;

/// <summary>
/// Does the work of a script's entry point: picks the entry by mode, sets up logging (human output on stderr,
/// the store sink), starts the run, scopes the execution id into every event, calls the entry, stores its
/// return value as the final response, ends the run with its status, flushes, and returns the exit code.
/// </summary>
public static class ScriptHost
{
    /// <summary>Runs the script. The generated <c>Main</c> calls this.</summary>
    /// <param name="args">Command-line arguments: <c>[mode] [arguments for the entry…]</c>, or <c>--help</c>.</param>
    /// <param name="manifest">The script's entries.</param>
    /// <returns>An exit code of <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(string[] args, ScriptManifest manifest) =>
        throw new NotImplementedException("ScriptHost is being built (issue 2).");
}
