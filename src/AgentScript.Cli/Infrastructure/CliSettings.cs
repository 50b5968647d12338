using AgentScript.Cli.Runtime;

namespace AgentScript.Cli.Infrastructure;

/// <summary>How <c>agentlog</c> is hosted: by <c>Main</c> on the real console, or in-process by a test.</summary>
internal sealed record CliSettings
{
    /// <summary>Standard output.</summary>
    public required TextWriter Out { get; init; }
    /// <summary>Standard error.</summary>
    public required TextWriter Error { get; init; }
    /// <summary>The environment variables (configuration is read from these and a <c>.env</c> file).</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }
    /// <summary>Where <c>.env</c> is looked for and relative paths start.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>stdout is an interactive terminal (colours, live progress).</summary>
    public bool OutIsTerminal { get; init; }
    /// <summary>stderr is an interactive terminal (progress of long operations).</summary>
    public bool ErrorIsTerminal { get; init; }
    /// <summary>Runtime services (configuration, store factory, buffer).</summary>
    public IRuntimeServices Runtime { get; init; } = DefaultRuntimeServices.Instance;
    /// <summary>Hook Ctrl+C / SIGTERM (real process only).</summary>
    public bool HandleTermination { get; init; }
}
