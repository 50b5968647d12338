using AgentScript.Configuration;

namespace AgentScript.Storage;

/// <summary>Opens the store that <see cref="AgentScriptOptions"/> selects.</summary>
public static class AgentLogStores
{
    /// <summary>
    /// Opens (does not yet initialise) the configured store. Call <see cref="IAgentLogStore.InitializeAsync"/> before
    /// querying; the write pipeline does that itself.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store kind is not available in this build.</exception>
    public static IAgentLogStore Open(AgentScriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Store switch
        {
            StoreKind.Sqlite => OpenSqlite(options),
            // ARANGODB: replaced by the ArangoDB store (issue 3).
            StoreKind.ArangoDb => throw new StoreUnavailableException("ArangoDB store not available in this build"),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Store, "Unknown store kind."),
        };
    }

    private static IAgentLogStore OpenSqlite(AgentScriptOptions options) =>
        // TODO(store merge): new Sqlite.SqliteLogStore(options.SqlitePath)
        throw new StoreUnavailableException($"The SQLite store is not merged into this build yet ({options.SqlitePath}).");
}
