namespace AgentScript.Cli.Infrastructure;

/// <summary>Exit codes of <c>agentlog</c> (documented in docs/cli.md).</summary>
public static class CliExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;
    /// <summary>What was asked for does not exist (unknown run, no final response), or the operation failed.</summary>
    public const int NotFound = 1;
    /// <summary>Bad usage: unknown option, bad duration/level/status, malformed native query.</summary>
    public const int Usage = 2;
    /// <summary>The store cannot be opened or reached.</summary>
    public const int StoreUnavailable = 3;
    /// <summary>The store file is damaged (SQLite reports it malformed; <c>agentlog doctor</c> says what to do).</summary>
    public const int StoreDamaged = 4;
    /// <summary>A raw query ran into its time limit (<c>agentlog query --timeout</c>) and was stopped.</summary>
    public const int TimeLimit = 5;
}
