using System.Diagnostics;
using System.Globalization;
using AgentScript.Configuration;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Hosting;
using AgentScript.Tests.Sink;
using AgentScript.Tests.Storage;
using Microsoft.Data.Sqlite;
using Serilog;
using Serilog.Context;

namespace AgentScript.Tests.Reliability;

/// <summary>Many threads and many processes writing one store, with an outage in the middle: exact counts, order per writer.</summary>
public sealed class LoadTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private string Db => Path.Combine(_dir.Path, "agentlog.db");
    private string BufferDir => Path.Combine(_dir.Path, "buffer");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    /// <summary>Events per thread: 100,000 (the figure, in every test run); AGENTSCRIPT_LOAD_EVENTS shrinks it for a quick local run.</summary>
    private static int PerThread => int.TryParse(Environment.GetEnvironmentVariable("AGENTSCRIPT_LOAD_EVENTS"), out var n) && n > 0 ? n : 100_000;

    [Fact]
    [Trait("Category", "Stress")]
    public async Task Sixteen_threads_with_an_outage_store_every_event_once_in_per_thread_order()
    {
        const int threads = 16;
        var perThread = PerThread;
        var total = (long)threads * perThread;
        var store = new FailingStore(new SqliteLogStore(Db));
        var diagnostics = new StringWriter();
        var options = new WritePipelineOptions
        {
            BufferDirectory = BufferDir,
            FlushInterval = TimeSpan.FromMilliseconds(200),
            MinRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            Diagnostics = TextWriter.Synchronized(diagnostics),
        };
        var worstDuringOutage = new long[threads];
        var worstOverall = new long[threads];
        var clock = Stopwatch.StartNew();
        await using (var pipeline = new StoreWritePipeline(store, options, ownsStore: true))
        {
            using var logger = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.AgentStore(pipeline).CreateLogger();
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                using (LogContext.PushProperty(LogProperties.ExecutionId, "load_run"))
                {
                    for (var i = 0; i < perThread; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        logger.Information("thread {T} event {Seq}", t, i);
                        var ticks = Stopwatch.GetTimestamp() - start;
                        if (ticks > worstOverall[t])
                        {
                            worstOverall[t] = ticks;
                        }
                        if (store.Down && ticks > worstDuringOutage[t])
                        {
                            worstDuringOutage[t] = ticks;
                        }
                    }
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            // The store goes down from 25% to 60% of the events received.
            await WaitUntilAsync(() => pipeline.Counters.Received >= total / 4);
            store.Down = true;
            await WaitUntilAsync(() => pipeline.Counters.Received >= total * 6 / 10);
            store.Down = false;
            workers.ForEach(w => w.Join());
            var logged = clock.Elapsed;
            var flushed = await pipeline.FlushAsync(Ct);
            var c = pipeline.Counters.Snapshot();
            Assert.True(flushed, $"flush left writes behind: backlog {pipeline.Backlog}, counters {c}, diagnostics: {diagnostics}");
            Assert.Equal(total, c.Received);
            Assert.Equal(0, c.Dropped);
            Assert.True(c.Stored + c.Replayed >= total); // a batch moved by a spill while being stored is replayed idempotently
            Figures.Report("16 threads: events", total.ToString(CultureInfo.InvariantCulture));
            Figures.Report("16 threads: logging took / until all stored", $"{logged.TotalSeconds:0.0} s / {clock.Elapsed.TotalSeconds:0.0} s; buffered {c.Buffered}, spilled {c.Spilled}, replayed {c.Replayed}");
        }
        Figures.Report("16 threads: worst log-call latency during the outage", $"{worstDuringOutage.Max() * 1000.0 / Stopwatch.Frequency:0.0} ms (overall {worstOverall.Max() * 1000.0 / Stopwatch.Frequency:0.0} ms)");
        Figures.Report("16 threads: peak working set of the test process", $"{Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
        // A generous sanity bound only: a log call must never wait for the store (30 s write timeout).
        Assert.True(worstDuringOutage.Max() * 1.0 / Stopwatch.Frequency < 10, "a log call waited for the store");

        Assert.Equal((total, total), StoreRows.Count(Db, "log_events", "event_id"));
        AssertPerWriterOrder(Db, "T", threads, perThread);
    }

    /// <summary>For every writer (thread or process), its Seq values read back in store order are 0, 1, 2, … exactly.</summary>
    internal static void AssertPerWriterOrder(string db, string writerProperty, int writers, int perWriter)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT json_extract(extra, '$.{writerProperty}'), json_extract(extra, '$.Seq') FROM log_events WHERE json_extract(extra, '$.Seq') IS NOT NULL ORDER BY id";
        using var r = cmd.ExecuteReader();
        var next = new Dictionary<string, long>();
        var outOfOrder = 0L;
        string? first = null;
        while (r.Read())
        {
            var w = Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!;
            var s = r.GetInt64(1);
            var expected = next.GetValueOrDefault(w);
            if (s != expected)
            {
                outOfOrder++;
                first ??= $"writer {w}: expected Seq {expected}, found {s}";
            }
            next[w] = s + 1;
        }
        Assert.True(outOfOrder == 0, $"{outOfOrder} events out of per-writer order; first: {first}");
        Assert.Equal(writers, next.Count);
        Assert.All(next.Values, v => Assert.Equal(perWriter, v));
    }

    [Fact]
    public async Task Four_script_processes_write_one_store_at_once_with_exact_counts_and_order()
    {
        const int processes = 4;
        const int n = 20_000;
        var env = new Dictionary<string, string> { ["LOG_BUFFER_DIR"] = BufferDir, ["LOG_CONSOLE_LEVEL"] = "NONE" };
        var scripts = Enumerable.Range(0, processes)
            .Select(_ => ScriptProcess.Start(_dir.Path, Db, env, "burst", n.ToString(CultureInfo.InvariantCulture), "ok")).ToList();
        try
        {
            foreach (var s in scripts)
            {
                Assert.Equal(ExitCodes.Success, await s.WaitForExitAsync(TimeSpan.FromSeconds(180)));
            }
        }
        finally
        {
            scripts.ForEach(s => s.Dispose());
        }
        Assert.Equal((processes * (long)n, processes * (long)n), StoreRows.Count(Db, "log_events", "event_id", "message_template = 'burst {Seq}'"));
        await using var store = new SqliteLogStore(Db);
        var runs = await store.ListRunsAsync(new AgentScript.Queries.RunQuery { ScriptName = "test_script", Limit = 10 }, Ct);
        Assert.Equal(processes, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Success, r.Status));
        foreach (var run in runs)
        {
            var seq = StoreRows.ExtraValuesInStoreOrder(Db, run.ExecutionId, "Seq").Where(s => s.Length > 0);
            Assert.Equal(Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)), seq);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 minutes");
            await Task.Delay(5, Ct);
        }
    }
}
