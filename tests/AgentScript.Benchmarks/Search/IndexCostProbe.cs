using System.Diagnostics;
using AgentScript.Benchmarks.Infrastructure;
using AgentScript.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentScript.Benchmarks.Search;

/// <summary>
/// A focused probe (AGENTSCRIPT_BENCH_INDEX_PROBE=1): what the events index's ranking columns (length class, repeated
/// words) add to indexing a batch. The same corpus events are indexed, alternately, into an events index with and
/// without those columns, in a scratch file; prints both times and their ratio.
/// </summary>
public static class IndexCostProbe
{
    public static bool Enabled => Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_INDEX_PROBE") == "1";

    public static void Run(string corpusDb, int events = 50_000, int rounds = 5)
    {
        var scratch = Path.Combine(RunContext.NewTempDir("index-probe"), "probe.db");
        try
        {
            using var c = new SqliteConnection($"Data Source={scratch}");
            c.Open();
            SqliteTokenCount.Register(c);
            Exec(c, $"ATTACH DATABASE '{corpusDb.Replace("'", "''", StringComparison.Ordinal)}' AS corpus; CREATE TABLE log_events AS SELECT * FROM corpus.log_events ORDER BY id LIMIT {events}; DETACH DATABASE corpus;");
            const string Tokenizer = "content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'";
            var withColumns = SqliteSchema.IndexEventsSelect;
            var without = $"INSERT INTO log_events_fts (rowid, message, exception, payload) SELECT id, message, {SqliteSchema.ExceptionTextExpression}, payload FROM log_events";
            var times = new Dictionary<string, List<double>> { ["with"] = [], ["without"] = [] };
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, columns, insert) in new[] { ("without", "message, exception, payload", without), ("with", "message, exception, payload, size_class, repeats", withColumns) })
                {
                    Exec(c, $"DROP TABLE IF EXISTS log_events_fts; CREATE VIRTUAL TABLE log_events_fts USING fts5 ({columns}, {Tokenizer});");
                    var sw = Stopwatch.StartNew();
                    Exec(c, "BEGIN; " + insert + "; COMMIT;");
                    times[name].Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            var w = Stats.Percentile(times["with"], 50);
            var wo = Stats.Percentile(times["without"], 50);
            Console.WriteLine($"  index probe: {events:N0} events, median of {rounds}: without ranking columns {wo:0} ms, with {w:0} ms ({w / wo:0.00}x; {(w - wo) * 1000 / events:0.00} µs per event more)");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            RunContext.TryDelete(Path.GetDirectoryName(scratch)!);
        }
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
