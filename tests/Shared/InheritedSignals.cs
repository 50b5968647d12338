namespace AgentScript.Tests.Shared;

/// <summary>
/// Whether this test process ignores SIGINT. A shell without job control starts background jobs (<c>cmd &amp;</c>,
/// <c>nohup</c>) with SIGINT ignored, every child inherits that, and .NET keeps an inherited ignore as POSIX asks: a
/// script started from such a test can never see Ctrl+C, so the tests that send it skip with this reason.
/// </summary>
internal static class InheritedSignals
{
    public const string SigIntIgnoredReason =
        "SIGINT is ignored in this test process (inherited from a background job of a shell without job control), so "
        + "child processes inherit it ignored as POSIX requires; run the tests in the foreground to check Ctrl+C.";

    public static bool SigIntIgnored()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            // "SigIgn:\t0000000000000002": a hexadecimal mask, bit n-1 for signal n.
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
        }
        return false;
    }
}
