using AgentScript.Storage;

namespace AgentScript.Benchmarks.Search;

/// <summary>Opens the SQLite store when it is part of this build.</summary>
public static class StoreFactory
{
#if HAS_SQLITE_STORE
    public static bool Available => true;
    public static IAgentLogStore OpenSqlite(string path) => new AgentScript.Storage.Sqlite.SqliteLogStore(path);
#else
    public static bool Available => false;
    public static IAgentLogStore OpenSqlite(string path) => throw new NotSupportedException("SqliteLogStore is not on main yet.");
#endif
}
