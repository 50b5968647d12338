namespace AgentScript.Configuration;

/// <summary>ArangoDB connection and cluster settings (<c>ARANGO_*</c> variables).</summary>
public sealed record ArangoOptions
{
    /// <summary><c>ARANGO_URL</c>; default <c>http://localhost:8529</c>.</summary>
    public Uri Url { get; init; } = new("http://localhost:8529");
    /// <summary><c>ARANGO_USERNAME</c>; default <c>root</c>.</summary>
    public string Username { get; init; } = "root";
    /// <summary><c>ARANGO_PASSWORD</c>. Never printed or logged; <see cref="ToString"/> hides it.</summary>
    public string Password { get; init; } = "openSesame";
    /// <summary><c>ARANGO_DATABASE</c>; default <c>script_logs</c>.</summary>
    public string Database { get; init; } = "script_logs";
    /// <summary><c>ARANGO_AUTH</c>: <c>basic</c> (default) or <c>jwt</c>.</summary>
    public bool UseJwt { get; init; }
    /// <summary><c>ARANGO_CA_CERT</c>: PEM file of a custom CA for https.</summary>
    public string? CaCertificatePath { get; init; }
    /// <summary><c>ARANGO_TIMEOUT</c>: per-request timeout; default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary><c>ARANGO_NUMBER_OF_SHARDS</c>; default 1.</summary>
    public int NumberOfShards { get; init; } = 1;
    /// <summary><c>ARANGO_REPLICATION_FACTOR</c>; default 1.</summary>
    public int ReplicationFactor { get; init; } = 1;
    /// <summary><c>ARANGO_WRITE_CONCERN</c>; default 1.</summary>
    public int WriteConcern { get; init; } = 1;

    /// <summary>Settings without the password.</summary>
    public override string ToString() => $"{Url} (user {Username}, database {Database})";
}
