namespace AgentScript.Storage.Arango;

/// <summary>
/// Exponential backoff for transient failures only: connection errors (see <see cref="ArangoClient.SendAsync"/> for
/// which requests), 503, 403 + 1004 and the transient errorNums below. Everything else fails at once: retrying a parse
/// error or a missing collection only delays the message the user needs, and 410 (a killed query, a cancelled request,
/// an aborted transaction) means the server stopped the work on purpose.
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

    /// <summary>True when an HTTP answer says "try again later" (the server did not apply the request).</summary>
    public static bool IsRetryable(int status, int errorNum) =>
        status == 503 || (status == 403 && errorNum == 1004) || IsTransientErrorNum(errorNum);

    /// <summary>
    /// errorNums the server documents as passing: 18 lock timeout, 1200 write-write conflict, 1004 write concern not met,
    /// 1429 (too many requests queued), 1457 cluster timeout, 1491/1495/1496 shard leader resigned / leadership
    /// challenge / not leader (HTTP 421 or 503 during a failover).
    /// </summary>
    public static bool IsTransientErrorNum(int errorNum) => errorNum is 18 or 1004 or 1200 or 1429 or 1457 or 1491 or 1495 or 1496;
}
