namespace AgentScript.Storage.Sqlite;

/// <summary>Tuning of <see cref="SqliteLogStore"/>; the defaults suit every normal use.</summary>
public sealed record SqliteLogStoreOptions
{
    /// <summary>
    /// How long a statement waits for another process's lock before the store reports itself unavailable
    /// (<c>PRAGMA busy_timeout</c>). Default 10 s: several scripts can share one file.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most matching events a search ranks: the newest this many that match the words and filters are ranked by
    /// bm25 and the best returned. Bounds the cost of a search for a very common word (every match would otherwise
    /// be scored); a search with fewer matches is ranked exactly. Null ranks every match. Default 20,000.
    /// </summary>
    public int? SearchCandidateLimit { get; init; } = 20_000;

    /// <summary>A prune deleting at least this many events runs FTS <c>optimize</c> afterwards. Default 10,000.</summary>
    public int OptimizeAfterPrunedEvents { get; init; } = 10_000;
}
