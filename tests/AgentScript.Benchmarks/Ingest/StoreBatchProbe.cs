using System.Diagnostics;
using AgentScript.Benchmarks.Corpus;
using AgentScript.Benchmarks.Infrastructure;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>
/// Part of the ingest profile: the store alone (<c>WriteAsync</c>, no sink, no queue) at several batch sizes, so the
/// ingest figure can be split into what the store costs and what the pipeline in front of it adds.
/// </summary>
public static class StoreBatchProbe
{
    public static async Task<List<(int BatchSize, double EventsPerSecond)>> RunAsync(int events, int[] batchSizes)
    {
        var results = new List<(int, double)>();
        if (!Search.StoreFactory.Available)
        {
            return results;
        }
        var corpus = new CorpusGenerator();
        var records = new List<LogEventRecord>(events);
        foreach (var e in Enumerable.Range(0, events).Select(_ => corpus.NextEvent("probe_20260101_000000_0badc0de", "probe", DateTimeOffset.UtcNow)))
        {
            records.Add(new LogEventRecord
            {
                EventId = EventIds.New(), Timestamp = e.Timestamp, Level = e.Level, Message = e.Message, MessageTemplate = e.Template,
                ExecutionId = e.ExecutionId, ScriptName = e.ScriptName, Category = e.Level, Exception = e.Exception,
                ExtraJson = "{\"n\":1}", Host = "bench", Pid = 1, ThreadId = 1,
            });
        }
        foreach (var size in batchSizes)
        {
            var dir = RunContext.NewTempDir("batch-" + size);
            try
            {
                await using (var store = Search.StoreFactory.OpenSqlite(Path.Combine(dir, "agentlog.db")))
                {
                    await store.InitializeAsync();
                    var sw = Stopwatch.StartNew();
                    for (var i = 0; i < records.Count; i += size)
                    {
                        await store.WriteAsync(records.Skip(i).Take(size).Select(r => (StoreWrite)new AppendEvent(r)).ToList());
                    }
                    sw.Stop();
                    results.Add((size, records.Count / sw.Elapsed.TotalSeconds));
                    Console.WriteLine($"    store alone, batch {size}: {records.Count / sw.Elapsed.TotalSeconds:N0} events/s");
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                RunContext.TryDelete(dir);
            }
        }
        return results;
    }
}
