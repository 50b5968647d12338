using System.Diagnostics;

using AgentScript.Benchmarks.Regression;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>The AgentScript side of the ingest benchmark: Serilog → AgentStore sink → SQLite, then verify.</summary>
public static class AgentStoreIngest
{
#if HAS_SINK && HAS_SQLITE_STORE
    public static async Task<IngestResult> RunAsync(string dir, int n, PooledCall[] pool, string marker, string executionId)
    {
        var sw = Stopwatch.StartNew();
        var fixture = new LogCall.AgentScriptSinkFixture(dir, executionId, TimeSpan.FromMinutes(10));
        var logger = fixture.Logger;
        for (var i = 0; i < n - 1; i++)
        {
            var (level, ex, template, values) = pool[i % pool.Length];
            logger.Write(level, ex, template, values);
        }
        logger.Information("Ingest finished with {Marker}", marker);
        fixture.RunContext.Dispose();
        var store = fixture.Store;
        // Finish drains the pipeline: every event is committed (and FTS-indexed) in the store when it returns.
        var account = fixture.Finish();
        sw.Stop();
        var seconds = sw.Elapsed.TotalSeconds;

        var verify = Stopwatch.StartNew();
        await using var reopened = new AgentScript.Storage.Sqlite.SqliteLogStore(Path.Combine(dir, "agentlog.db"));
        await reopened.InitializeAsync();
        var hits = await reopened.SearchAsync(new AgentScript.Queries.SearchQuery { Text = marker, Limit = 10 });
        long count;
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "agentlog.db")};Mode=ReadOnly"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM log_events WHERE execution_id = $id";
            cmd.Parameters.AddWithValue("$id", executionId);
            count = (long)cmd.ExecuteScalar()!;
        }
        verify.Stop();
        var p = Process.GetCurrentProcess();
        // The database file and its log (the -wal is part of what the store occupies until the next checkpoint).
        var size = Directory.GetFiles(dir, "agentlog.db*").Sum(f => new FileInfo(f).Length);
        return new IngestResult("agentstore", n, seconds, n / seconds, p.PeakWorkingSet64, p.TotalProcessorTime.TotalSeconds,
            count, hits.Count > 0, verify.Elapsed.TotalSeconds, $"{account}; store {size / 1024 / 1024} MB", size);
    }
#else
    public static Task<IngestResult> RunAsync(string dir, int n, PooledCall[] pool, string marker, string executionId)
        => throw new NotSupportedException("The AgentScript sink and SQLite store are not on main yet.");
#endif
}
