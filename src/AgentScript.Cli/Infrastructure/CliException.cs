namespace AgentScript.Cli.Infrastructure;

/// <summary>
/// An expected failure of a command: its message (one line naming the problem and the fix) goes to stderr and
/// <see cref="ExitCode"/> becomes the process exit code. Never shown with a stack trace.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliException(int exitCode, string message) : base(message) => ExitCode = exitCode;

    /// <summary>One of <see cref="CliExitCodes"/>.</summary>
    public int ExitCode { get; }

    /// <summary>A usage error (exit 2).</summary>
    public static CliException Usage(string message) => new(CliExitCodes.Usage, message);

    /// <summary>Something asked for does not exist (exit 1).</summary>
    public static CliException NotFound(string message) => new(CliExitCodes.NotFound, message);
}
