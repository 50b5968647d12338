namespace AgentScript.Hosting;

/// <summary>Process exit codes of a script (and of <c>ScriptHost.RunAsync</c>).</summary>
public static class ExitCodes
{
    /// <summary>The entry succeeded.</summary>
    public const int Success = 0;
    /// <summary>The entry threw or returned <c>false</c>.</summary>
    public const int Failed = 1;
    /// <summary>Unknown mode, bad arguments or bad configuration.</summary>
    public const int Usage = 2;
    /// <summary>Ctrl+C, SIGTERM, or the entry was cancelled.</summary>
    public const int Cancelled = 130;
}
