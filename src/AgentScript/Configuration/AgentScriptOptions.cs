namespace AgentScript.Configuration;

/// <summary>
/// Settings in effect, read from the environment and a <c>.env</c> file by <c>AgentScriptConfiguration</c>.
/// The environment wins over <c>.env</c>.
/// </summary>
public sealed record AgentScriptOptions
{
    /// <summary>Store in use: <c>AGENTSCRIPT_STORE</c>, else ArangoDB when <c>ARANGO_URL</c> is set, else SQLite.</summary>
    public StoreKind Store { get; init; } = StoreKind.Sqlite;
    /// <summary>The SQLite file: <c>AGENTSCRIPT_STORE=sqlite:&lt;path&gt;</c>, default <c>$XDG_DATA_HOME/agentscript/agentlog.db</c>.</summary>
    public required string SqlitePath { get; init; }
    /// <summary>ArangoDB settings (used when <see cref="Store"/> is <see cref="StoreKind.ArangoDb"/>).</summary>
    public ArangoOptions Arango { get; init; } = new();
    /// <summary><c>LOG_BATCH_SIZE</c>: events per store write; default 200.</summary>
    public int BatchSize { get; init; } = 200;
    /// <summary><c>LOG_FLUSH_INTERVAL</c> (seconds): longest time an event waits in memory; default 2 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary><c>LOG_BUFFER_DIR</c>: durable buffer folder; default next to the SQLite file's folder, <c>buffer/</c>.</summary>
    public required string BufferDirectory { get; init; }
    /// <summary><c>LOG_MAX_BUFFER_SIZE_MB</c>; default 1000.</summary>
    public long MaxBufferSizeMb { get; init; } = 1000;
    /// <summary><c>LOG_RETENTION_DAYS</c>: TTL in ArangoDB, default prune age; default 30.</summary>
    public int RetentionDays { get; init; } = 30;
    /// <summary><c>LOG_DURABILITY</c>: <c>batched</c> (default) or <c>sync</c>.</summary>
    public Durability Durability { get; init; } = Durability.Batched;
    /// <summary><c>LOG_CONSOLE_LEVEL</c>: minimum level echoed to stderr; default INFO.</summary>
    public string ConsoleLevel { get; init; } = "INFO";
    /// <summary>The <c>.env</c> file that was read, if any.</summary>
    public string? EnvFile { get; init; }

    /// <summary>Where the store is, without secrets.</summary>
    public string DescribeStore() => Store == StoreKind.Sqlite ? $"sqlite:{SqlitePath}" : $"arangodb:{Arango}";
}
