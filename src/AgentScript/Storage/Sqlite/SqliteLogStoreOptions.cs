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
    /// How many matching events a search ranks unless <see cref="Queries.SearchQuery.Exhaustive"/> is set — or a full
    /// page (offset + limit), if that is more. By default these are the newest matches that pass the filters; with
    /// <see cref="SearchHints"/> the newest quarter of them, then the matches bm25 is likely to rank best. So a search
    /// costs at most this many bm25 computations however common its words are; a search whose words match fewer events
    /// (than the newest window) in the whole store (or run) is ranked exactly. The results say which case applied
    /// (<see cref="Queries.SearchResults"/>). Null ranks every match. Default 400 (chosen by measurement on 1M events;
    /// see docs/architecture.md, "Search at scale").
    /// </summary>
    public int? SearchCandidates { get; init; } = 400;

    /// <summary>
    /// When set, a bounded search ranks the newest quarter of <see cref="SearchCandidates"/>, then the events holding
    /// every word, then the events repeating a word and all matches, shortest length class first (the events index's
    /// rank hints). It finds old best matches (measured: most hits as good as the exhaustive top 10) but runs several
    /// statements, each paying bm25's per-statement count of every match of every word, so a search of common words
    /// costs several times the newest-matches ranking (docs/architecture.md, "Search at scale"). Default off.
    /// </summary>
    public bool SearchHints { get; init; }

    /// <summary>A prune deleting at least this many events runs FTS <c>optimize</c> afterwards. Default 10,000.</summary>
    public int OptimizeAfterPrunedEvents { get; init; } = 10_000;
}
