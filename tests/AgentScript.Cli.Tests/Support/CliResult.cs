using System.Text.Json;

namespace AgentScript.Cli.Tests.Support;

/// <summary>What one run of agentlog produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout parsed as JSON (fails the test with the output when it is not JSON).</summary>
    public JsonElement Json()
    {
        try
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not JSON ({e.Message}):\n{Stdout}\nstderr:\n{Stderr}");
        }
    }

    /// <summary>Asserts the exit code, showing the output when it differs.</summary>
    public CliResult Expect(int exitCode)
    {
        if (ExitCode != exitCode)
        {
            throw new Xunit.Sdk.XunitException($"exit code {ExitCode}, expected {exitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
