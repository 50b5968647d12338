namespace AgentScript.Tests.Reliability;

/// <summary>
/// Measured figures for docs/reliability.md: written to the test output and, when AGENTSCRIPT_FIGURES_FILE is
/// set, appended to that file (one "name: value" line each). Never asserted on.
/// </summary>
internal static class Figures
{
    private static readonly Lock Gate = new();

    public static void Report(string name, string value)
    {
        var line = $"FIGURE {name}: {value}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("AGENTSCRIPT_FIGURES_FILE") is { Length: > 0 } file)
        {
            lock (Gate)
            {
                File.AppendAllText(file, line + Environment.NewLine);
            }
        }
    }
}
