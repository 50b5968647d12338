namespace AgentScript.Storage.Sqlite;

/// <summary>Tuning of <see cref="SqliteLogStore"/>; the defaults suit every normal use.</summary>
public sealed record SqliteLogStoreOptions
{
    /// <summary>
    /// How long a statement waits for another process's lock before the store reports itself unavailable
    /// (<c>PRAGMA busy_timeout</c>). Default 10 s: several scripts can share one file.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A prune deleting at least this many events runs FTS <c>optimize</c> afterwards. Default 10,000.</summary>
    public int OptimizeAfterPrunedEvents { get; init; } = 10_000;
}
