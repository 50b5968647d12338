namespace AgentScript.Configuration;

/// <summary>How the sink trades speed for durability.</summary>
public enum Durability
{
    /// <summary>Events are queued in memory and written in batches every flush interval (fast; a <c>kill -9</c> may lose the last interval).</summary>
    Batched,
    /// <summary>Every event is appended to the durable buffer file before the log call returns (slower; loses nothing).</summary>
    Synchronous,
}
