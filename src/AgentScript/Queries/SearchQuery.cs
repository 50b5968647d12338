namespace AgentScript.Queries;

/// <summary>A BM25 full-text search over event messages, exception text, payloads and learnings, with filters.</summary>
public sealed record SearchQuery
{
    /// <summary>Words to find (plain words; the store quotes them, so no query syntax is needed or honoured).</summary>
    public required string Text { get; init; }
    /// <summary>Only this level (a name of <see cref="Model.LogLevels.All"/>).</summary>
    public string? Level { get; init; }
    /// <summary>Only this script.</summary>
    public string? ScriptName { get; init; }
    /// <summary>Only this run.</summary>
    public string? ExecutionId { get; init; }
    /// <summary>Only this category.</summary>
    public string? Category { get; init; }
    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Only events before this time.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Page size (1–1000).</summary>
    public int Limit { get; init; } = 20;
    /// <summary>Hits to skip.</summary>
    public int Offset { get; init; }
    /// <summary>
    /// Rank every match instead of the newest ones. By default a store may rank only the matches of the newest
    /// events (the SQLite store: the newest window holding a bounded number of matches, see
    /// <see cref="SearchResults"/>), which keeps a search for a common word fast on a big store; set this to get
    /// the best matches of the whole store (or run) at the cost of scoring every match.
    /// </summary>
    public bool Exhaustive { get; init; }
}
