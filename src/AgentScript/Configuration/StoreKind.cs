namespace AgentScript.Configuration;

/// <summary>Which store the product writes to and reads from.</summary>
public enum StoreKind
{
    /// <summary>The embedded SQLite file (default).</summary>
    Sqlite,
    /// <summary>An ArangoDB 3.12 server or cluster.</summary>
    ArangoDb,
}
