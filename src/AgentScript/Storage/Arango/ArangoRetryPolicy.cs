namespace AgentScript.Storage.Arango;

/// <summary>
/// Exponential backoff for retryable failures only (connection errors, 503, 410, 403 + 1004). Everything else
/// fails at once: retrying a parse error or a missing collection only delays the message the user needs.
/// </summary>
internal sealed class ArangoRetryPolicy
{
    /// <summary>Attempts in total (first try included).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the second attempt; doubles each time.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Largest single delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How to wait (tests replace it to record delays instead of sleeping).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (attempt is 1-based).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var ms = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }

    /// <summary>True when an HTTP answer says "try again later".</summary>
    public static bool IsRetryable(int status, int errorNum) => status is 503 or 410 || (status == 403 && errorNum == 1004);
}
