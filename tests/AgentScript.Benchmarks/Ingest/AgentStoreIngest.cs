namespace AgentScript.Benchmarks.Ingest;

/// <summary>The AgentScript side of the ingest benchmark: Serilog → AgentStore sink → SQLite, then verify.</summary>
public static class AgentStoreIngest
{
#if HAS_SINK && HAS_SQLITE_STORE
    public static Task<IngestResult> RunAsync(string dir, int n, PooledCall[] pool, string marker, string executionId)
        => throw new NotImplementedException();
#else
    public static Task<IngestResult> RunAsync(string dir, int n, PooledCall[] pool, string marker, string executionId)
        => throw new NotSupportedException("The AgentScript sink and SQLite store are not on main yet.");
#endif
}
