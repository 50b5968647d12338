namespace AgentScript.Storage.Sqlite;

/// <summary>Tuning of <see cref="SqliteLogStore"/>; the defaults suit every normal use.</summary>
internal sealed record SqliteLogStoreOptions
{
    /// <summary>
    /// How long a statement waits for another process's lock before the store reports itself unavailable
    /// (<c>PRAGMA busy_timeout</c>). Default 10 s: several scripts can share one file.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many matching events a search ranks unless <see cref="Queries.SearchQuery.Exhaustive"/> is set: the search
    /// walks the full-text index from the newest event back and ranks (bm25) the first this many matches that pass
    /// the filters — or a full page (offset + limit), if that is more — then stops. So a search costs at most this
    /// many bm25 computations however common its words are; a search whose words match fewer events in the whole
    /// store (or run) is ranked exactly. The results say which case applied (<see cref="Queries.SearchResults"/>).
    /// Null ranks every match. Default 400 (chosen by measurement on 1M events; see docs/architecture.md,
    /// "Search at scale").
    /// </summary>
    public int? SearchCandidates { get; init; } = 400;

    /// <summary>A prune deleting at least this many events runs FTS <c>optimize</c> afterwards. Default 10,000.</summary>
    public int OptimizeAfterPrunedEvents { get; init; } = 10_000;

    /// <summary>The clock of retention cut-offs, "today" in statistics and placeholder runs; default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
