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

    /// <summary>The defaults.</summary>
    public static ArangoQueryOptions Default { get; } = new();
}
