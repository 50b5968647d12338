// Job: measure what an in-script read (flush, then query) adds over the same query on an idle pipeline.
using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Storage.Sqlite;
using Serilog;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>
/// <c>-- read-probe [n]</c>: a script logs an event, works 5 ms, then reads (what every <c>AgentLog</c> query does
/// inside a run: flush, then ask the store). Baseline: the same query on an idle pipeline, without the write.
/// Prints both medians and the difference (target: at most 20 ms added per read) with the flush interval at its
/// default of 2 s — a read that waited for the flush timer would show about 2,000 ms.
/// </summary>
public static class InScriptReadProbe
{
    private static SearchQuery Query(string id) => new() { Text = "step", ExecutionId = id, Limit = 1000 };

    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
        var dir = Infrastructure.RunContext.NewTempDir("read-probe");
        try
        {
            await using var store = new SqliteLogStore(Path.Combine(dir, "agentlog.db"));
            await using var pipeline = new StoreWritePipeline(store, new WritePipelineOptions
            {
                BufferDirectory = Path.Combine(dir, "buffer"),
                FlushInterval = TimeSpan.FromSeconds(2),
                Diagnostics = TextWriter.Null,
            });
            if (await pipeline.InitializeStoreAsync() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 1;
            }
            using var logger = new LoggerConfiguration().WriteTo.AgentStore(pipeline).CreateLogger();
            const string id = "readprobe_20260101_000000_0a1b2c3d";
            var log = logger.ForContext(LogProperties.ExecutionId, id);
            log.Information("warm-up");
            await pipeline.FlushAsync();

            var idle = new List<double>(n);
            var inScript = new List<double>(n);
            for (var i = 0; i < n; i++)
            {
                // Baseline: nothing written since the last read.
                var clock = Stopwatch.StartNew();
                await store.SearchAsync(Query(id));
                idle.Add(clock.Elapsed.TotalMilliseconds);

                log.Information("step {Index}", i);
                await Task.Delay(5);
                clock.Restart();
                await pipeline.FlushAsync();
                var hits = await store.SearchAsync(Query(id));
                inScript.Add(clock.Elapsed.TotalMilliseconds);
                if (hits.Count < i + 1)
                {
                    Console.Error.WriteLine($"read {i} did not see the run's own write ({hits.Count} hits)");
                    return 1;
                }
            }
            double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
            var added = Median(inScript) - Median(idle);
            Console.WriteLine($"read-probe: {n} reads, flush interval 2 s");
            Console.WriteLine($"  | in-script read (write, flush, query) | {Median(inScript):0.0} ms median, {inScript.Max():0.0} ms max |");
            Console.WriteLine($"  | idle-pipeline read (query only)      | {Median(idle):0.0} ms median, {idle.Max():0.0} ms max |");
            Console.WriteLine($"  | added per read                       | {added:0.0} ms (target <= 20 ms) |");
            return added <= 20 ? 0 : 1;
        }
        finally
        {
            Infrastructure.RunContext.TryDelete(dir);
        }
    }
}
