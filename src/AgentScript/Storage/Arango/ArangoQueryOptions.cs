namespace AgentScript.Storage.Arango;

/// <summary>Options of an AQL cursor.</summary>
internal sealed record ArangoQueryOptions
{
    /// <summary>Results per batch (per round trip).</summary>
    public int BatchSize { get; init; } = 1000;
    /// <summary>Ask for the total count.</summary>
    public bool Count { get; init; }
    /// <summary>Stream results instead of materialising them on the server (large exports).</summary>
    public bool Stream { get; init; }
    /// <summary>Server-side runtime limit in seconds (0 = none).</summary>
    public double MaxRuntimeSeconds { get; init; }

    /// <summary>
    /// Seconds an idle server-side cursor is kept between batches. The server default is 30 s, too short for a
    /// consumer that pauses (a tail, an export written to a slow disk): a stream cursor gets 600 s unless set.
    /// </summary>
    public int? TtlSeconds { get; init; }

    /// <summary>
    /// Running the query twice has the effect of running it once (it reads only, or its writes are UPSERTs), so an
    /// attempt may be repeated even when it may have reached the server. Null: decided from the text
    /// (<see cref="AqlText.MayWrite"/>: a query that may write is not repeatable).
    /// </summary>
    public bool? Repeatable { get; init; }

    /// <summary>Idle time of a stream cursor when <see cref="TtlSeconds"/> is not set.</summary>
    public const int StreamTtlSeconds = 600;

    /// <summary>The defaults.</summary>
    public static ArangoQueryOptions Default { get; } = new();
}
