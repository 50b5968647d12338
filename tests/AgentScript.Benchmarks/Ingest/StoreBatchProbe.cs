using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentScript.Benchmarks.Corpus;
using AgentScript.Benchmarks.Infrastructure;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>
/// Part of the ingest profile: the store alone (<c>WriteAsync</c>, no sink, no queue) at several batch sizes, so the
/// ingest figure can be split into what the store costs and what the pipeline in front of it adds. Run on its own
/// with <c>-- storeprobe [--events N] [--large N]</c>: fresh stores, then a store that already holds
/// <c>--large</c> events (sustained rate on a large store is what counts). It writes no doc.
/// </summary>
public static class StoreBatchProbe
{
    /// <summary>The records are made outside the timed part, batch by batch, so memory stays flat at any size.</summary>
    private sealed class RecordSource
    {
        private readonly CorpusGenerator _corpus = new();
        private int _n;

        public List<StoreWrite> Next(int count)
        {
            var list = new List<StoreWrite>(count);
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                // A run per 2,000 events, like many scripts writing over time.
                var run = _n++ / 2_000;
                var execution = $"probe_20260101_000000_{run:x8}";
                var e = _corpus.NextEvent(execution, "probe", now);
                var extra = new StringBuilder("{");
                for (var p = 0; p < e.PropertyNames.Length && p < 4; p++)
                {
                    extra.Append(p == 0 ? "" : ",").Append('"').Append(e.PropertyNames[p]).Append("\":\"")
                         .Append(Convert.ToString(e.Values[p], CultureInfo.InvariantCulture)).Append('"');
                }
                extra.Append('}');
                list.Add(new EventWrite(new LogEventRecord
                {
                    EventId = EventIds.New(), Timestamp = e.Timestamp, Level = e.Level, Message = e.Message, MessageTemplate = e.Template,
                    ExecutionId = e.ExecutionId, ScriptName = e.ScriptName, Category = "log", Exception = e.Exception,
                    ExtraJson = extra.ToString(), Host = "bench", Pid = 1, ThreadId = 1,
                }));
            }
            return list;
        }
    }

    /// <summary>
    /// Writes <paramref name="events"/> events in batches of <paramref name="size"/>; returns events/s of the writes
    /// alone and the process CPU time per event over them (all threads, so a background checkpoint counts too; on a
    /// loaded machine CPU per event is the steadier figure). The batches are made before the clock starts.
    /// </summary>
    private static async Task<(double Rate, double CpuMicros)> TimeWritesAsync(IAgentLogStore store, RecordSource source, int events, int size)
    {
        var elapsed = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        const int Chunk = 100_000; // made ahead in chunks, so memory stays bounded at any size
        for (var start = 0; start < events; start += Chunk)
        {
            var batches = new List<List<StoreWrite>>();
            for (var i = start; i < Math.Min(events, start + Chunk); i += size)
            {
                batches.Add(source.Next(Math.Min(size, Math.Min(events, start + Chunk) - i)));
            }
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                var outcome = await store.WriteAsync(batch);
                if (outcome.Rejected.Count > 0)
                {
                    throw new InvalidOperationException($"The store rejected {outcome.Rejected.Count} writes: {outcome.Rejected[0].Reason}");
                }
            }
            elapsed += sw.Elapsed;
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        }
        return (events / elapsed.TotalSeconds, cpu.TotalMicroseconds / events);
    }

    private static readonly Dictionary<int, double> Cpu = [];

    public static async Task<List<(int BatchSize, double EventsPerSecond)>> RunAsync(int events, int[] batchSizes)
    {
        var results = new List<(int, double)>();
        if (!Search.StoreFactory.Available)
        {
            return results;
        }
        var source = new RecordSource();
        foreach (var size in batchSizes)
        {
            var dir = RunContext.NewTempDir("batch-" + size);
            try
            {
                await using (var store = Search.StoreFactory.OpenSqlite(Path.Combine(dir, "agentlog.db")))
                {
                    await store.InitializeAsync();
                    var (rate, cpu) = await TimeWritesAsync(store, source, events, size);
                    results.Add((size, rate));
                    Cpu[size] = cpu;
                    Console.WriteLine($"    store alone, batch {size}: {rate:N0} events/s, {cpu:F1} µs CPU/event");
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

    /// <summary>The standalone probe: fresh stores, then one store filled with <c>--large</c> events first.</summary>
    public static async Task<int> RunStandaloneAsync(string[] args)
    {
        if (!Search.StoreFactory.Available)
        {
            Console.Error.WriteLine("The SQLite store is not part of this build.");
            return 1;
        }
        var events = IntArg(args, "--events", 200_000);
        var large = IntArg(args, "--large", 1_000_000);
        int[] sizes = [1_000, 5_000, 20_000];
        Console.WriteLine($"store probe: {events:N0} events per measurement; large store {large:N0} events; {DateTime.UtcNow:HH:mm:ss} UTC");
        var fresh = await RunAsync(events, sizes);

        var lines = new List<string>();
        var dir = RunContext.NewTempDir("probe-large");
        try
        {
            var path = Path.Combine(dir, "agentlog.db");
            await using var store = Search.StoreFactory.OpenSqlite(path);
            await store.InitializeAsync();
            var source = new RecordSource();
            var fill = Stopwatch.StartNew();
            var (fillRate, fillCpu) = large > 0 ? await TimeWritesAsync(store, source, large, 20_000) : (0, 0);
            var wal = new FileInfo(path + "-wal");
            Console.WriteLine($"    log (-wal) after the fill: {(wal.Exists ? wal.Length / 1024 / 1024 : 0):N0} MB");
            Console.WriteLine($"    filled {large:N0} events at {fillRate:N0} events/s (batch 20,000; {fillCpu:F1} µs CPU/event; {fill.Elapsed.TotalSeconds:N0} s with generation)");
            foreach (var size in sizes)
            {
                var (rate, cpu) = await TimeWritesAsync(store, source, events, size);
                Console.WriteLine($"    store alone on {large / 1000:N0}k store, batch {size}: {rate:N0} events/s, {cpu:F1} µs CPU/event");
                lines.Add($"| {size:N0} | {fresh.First(f => f.BatchSize == size).EventsPerSecond:N0} | {Cpu[size]:F1} | {rate:N0} | {cpu:F1} |");
            }
            var bytes = Directory.GetFiles(dir, "agentlog.db*").Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"    store files: {bytes / 1024 / 1024:N0} MB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MB");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            RunContext.TryDelete(dir);
        }
        Console.WriteLine();
        Console.WriteLine($"| Batch | Fresh store ev/s | µs CPU/event | {large / 1000:N0}k-event store ev/s | µs CPU/event |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        lines.ForEach(Console.WriteLine);
        return 0;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
