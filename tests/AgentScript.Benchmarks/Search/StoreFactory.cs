using AgentScript.Storage;

namespace AgentScript.Benchmarks.Search;

/// <summary>Opens the SQLite store when it is part of this build.</summary>
public static class StoreFactory
{
#if HAS_SQLITE_STORE
    public static bool Available => true;
    public static IAgentLogStore OpenSqlite(string path)
    {
        // For probing the cost/quality trade-off: AGENTSCRIPT_BENCH_SEARCH_CANDIDATES=<n|all> overrides the default.
        var options = new AgentScript.Storage.Sqlite.SqliteLogStoreOptions();
        switch (Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_SEARCH_CANDIDATES"))
        {
            case "all":
                options = options with { SearchCandidates = null };
                break;
            case { } n when int.TryParse(n, out var c):
                options = options with { SearchCandidates = c };
                break;
        }
        return new AgentScript.Storage.Sqlite.SqliteLogStore(path, options);
    }
#else
    public static bool Available => false;
    public static IAgentLogStore OpenSqlite(string path) => throw new NotSupportedException("SqliteLogStore is not on main yet.");
#endif
}
