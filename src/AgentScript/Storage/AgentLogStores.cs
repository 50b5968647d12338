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
            StoreKind.ArangoDb => new Arango.ArangoLogStore(options.Arango, options.RetentionDays),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Store, "Unknown store kind."),
        };
    }

    /// <summary>
    /// Like <see cref="Open"/>, but a store that cannot be opened comes back as a stand-in whose every call throws
    /// <see cref="StoreUnavailableException"/> with the reason — so a script still runs and its writes are buffered.
    /// </summary>
    public static IAgentLogStore OpenOrUnavailable(AgentScriptOptions options)
    {
        try
        {
            return Open(options);
        }
        catch (StoreUnavailableException e)
        {
            return new UnavailableStore(options.Store == StoreKind.Sqlite ? "sqlite" : "arangodb", options.DescribeStore(), e.Message);
        }
    }

    private static IAgentLogStore OpenSqlite(AgentScriptOptions options) => new Sqlite.SqliteLogStore(options.SqlitePath);
}
