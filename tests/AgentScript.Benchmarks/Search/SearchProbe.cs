using System.Diagnostics;
using AgentScript.Benchmarks.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentScript.Benchmarks.Search;

/// <summary>
/// A focused probe (AGENTSCRIPT_BENCH_SEARCH_PROBE=1): where the time of a newest-first ranked FTS5 query goes —
/// walking the doclists, bm25's fixed per-query cost (its IDF counts every match of every phrase), bm25 per row.
/// </summary>
public static class SearchProbe
{
    public static bool Enabled => Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_SEARCH_PROBE") == "1";

    /// <summary>Prints the query plans and times of the run queries (summary, errors with context) for one run.</summary>
    public static void Plans(string dbPath, string executionId)
    {
        using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        c.Open();
        string[] sqls =
        [
            "SELECT log_category, level, count(*) FROM log_events WHERE execution_id = $id GROUP BY log_category, level",
            "SELECT timestamp FROM log_events WHERE execution_id = $id ORDER BY timestamp ASC LIMIT 1",
            "SELECT log_category FROM log_events WHERE execution_id = $id AND log_category > '' ORDER BY log_category LIMIT 1",
            "SELECT timestamp, id FROM log_events WHERE execution_id = $id AND log_category = 'ERROR' AND level IN ('ERROR', 'CRITICAL') ORDER BY timestamp, id LIMIT 1000",
            "SELECT e.* FROM log_events e WHERE e.execution_id = $id AND e.timestamp <= '2026-11-20' AND e.timestamp >= '' ORDER BY e.timestamp DESC, e.id DESC LIMIT 5",
            "SELECT e.* FROM log_events e WHERE e.execution_id = $id AND e.timestamp >= '2026-11-20' AND e.timestamp <= '9999' ORDER BY e.timestamp, e.id LIMIT 5",
            "SELECT e.* FROM log_events e WHERE e.id = 5",
            "SELECT r.* FROM script_runs r WHERE r.execution_id = $id",
            "SELECT l.* FROM agent_learnings l WHERE l.execution_id = $id ORDER BY l.timestamp, l.id",
            "SELECT e.* FROM log_events e INDEXED BY ix_log_events_execution_category WHERE e.execution_id = $id AND e.log_category = 'PROGRESS' ORDER BY e.timestamp, e.id",
        ];
        foreach (var sql in sqls)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
            cmd.Parameters.AddWithValue("$id", executionId);
            var plan = new List<string>();
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    plan.Add(r.GetString(3));
                }
            }
            cmd.CommandText = sql;
            var sw = Stopwatch.StartNew();
            var rows = 0;
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    rows++;
                }
            }
            Console.WriteLine($"  plan {sw.Elapsed.TotalMilliseconds,8:0.000} ms {rows,6} rows  {sql[..Math.Min(90, sql.Length)]}\n        {string.Join(" | ", plan)}");
        }
    }

    /// <summary>The same queries through the store and through a bare connection, alternately.</summary>
    public static async Task CompareAsync(AgentScript.Storage.IAgentLogStore store, string dbPath, TermStats terms, Random rng, (string Name, long Min, long Max)[] bands)
    {
        using var c = new SqliteConnection($"Data Source={dbPath}");
        c.Open();
        using (var p = c.CreateCommand())
        {
            p.CommandText = "PRAGMA mmap_size=1073741824";
            p.ExecuteNonQuery();
        }
        foreach (var band in bands)
        {
            var queries = terms.DrawQueries(rng, band.Min, band.Max, 60);
            var storeTimes = new List<double>();
            var rawTimes = new List<double>();
            foreach (var q in queries)
            {
                var text = string.Join(' ', q);
                var sw = Stopwatch.StartNew();
                await store.SearchAsync(new AgentScript.Queries.SearchQuery { Text = text, Limit = 10 });
                storeTimes.Add(sw.Elapsed.TotalMilliseconds);
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT rowid, rank FROM log_events_fts WHERE log_events_fts MATCH $m ORDER BY rowid DESC LIMIT 1001";
                cmd.Parameters.AddWithValue("$m", string.Join(" OR ", q.Select(t => "\"" + t + "\"")));
                sw.Restart();
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        r.GetDouble(1);
                    }
                }
                rawTimes.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"  compare {band.Name,-7} store p50 {Stats.Ms(Stats.Percentile(storeTimes, 50))} p99 {Stats.Ms(Stats.Percentile(storeTimes, 99))}   raw p50 {Stats.Ms(Stats.Percentile(rawTimes, 50))} p99 {Stats.Ms(Stats.Percentile(rawTimes, 99))}");
        }
    }

    public static void Run(string dbPath, TermStats terms, Random rng, (string Name, long Min, long Max)[] bands)
    {
        // A copy of the corpus store to probe instead, optionally merged into one FTS segment first.
        dbPath = Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_PROBE_DB") ?? dbPath;
        if (Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_PROBE_OPTIMIZE") == "1")
        {
            using var w = new SqliteConnection($"Data Source={dbPath}");
            w.Open();
            using var o = w.CreateCommand();
            o.CommandText = "INSERT INTO log_events_fts(log_events_fts) VALUES('optimize')";
            var sw = Stopwatch.StartNew();
            o.ExecuteNonQuery();
            Console.WriteLine($"  probe: optimize took {sw.Elapsed.TotalSeconds:0.0} s");
        }
        using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        c.Open();
        if (Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_PROBE_PRAGMA") is { Length: > 0 } pragma)
        {
            using var p = c.CreateCommand();
            p.CommandText = pragma;
            p.ExecuteNonQuery();
            Console.WriteLine($"  probe with: {pragma}");
        }
        var forms = new (string Name, string Sql)[]
        {
            ("rowid only, 1000 newest", "SELECT rowid FROM log_events_fts WHERE log_events_fts MATCH $m ORDER BY rowid DESC LIMIT 1000"),
            ("rank, 1 newest", "SELECT rowid, rank FROM log_events_fts WHERE log_events_fts MATCH $m ORDER BY rowid DESC LIMIT 1"),
            ("rank, 100 newest", "SELECT rowid, rank FROM log_events_fts WHERE log_events_fts MATCH $m ORDER BY rowid DESC LIMIT 100"),
            ("rank, 1000 newest", "SELECT rowid, rank FROM log_events_fts WHERE log_events_fts MATCH $m ORDER BY rowid DESC LIMIT 1000"),
            ("rank, 1000 newest of AND", "SELECT rowid, rank FROM log_events_fts WHERE log_events_fts MATCH $a ORDER BY rowid DESC LIMIT 1000"),
            ("count all matches", "SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH $m"),
        };
        foreach (var band in bands)
        {
            var queries = terms.DrawQueries(rng, band.Min, band.Max, 40);
            foreach (var (name, sql) in forms)
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = sql;
                var times = new List<double>();
                long rows = 0;
                foreach (var q in queries)
                {
                    cmd.Parameters.Clear();
                    cmd.Parameters.AddWithValue("$m", string.Join(" OR ", q.Select(t => "\"" + t + "\"")));
                    cmd.Parameters.AddWithValue("$a", string.Join(" AND ", q.Select(t => "\"" + t + "\"")));
                    var sw = Stopwatch.StartNew();
                    using (var r = cmd.ExecuteReader())
                    {
                        while (r.Read())
                        {
                            rows += r.FieldCount > 1 ? 1 : r.GetInt64(0) > 0 ? 1 : 0;
                        }
                    }
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                Console.WriteLine($"  probe {band.Name,-7} {name,-26} p50 {Stats.Ms(Stats.Percentile(times, 50)),10} p99 {Stats.Ms(Stats.Percentile(times, 99)),10} rows/q {(double)rows / queries.Count:0}");
            }
        }
    }
}
