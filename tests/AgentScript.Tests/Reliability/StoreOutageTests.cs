using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Sink;
using AgentScript.Tests.Storage;
using Serilog;
using Serilog.Context;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// Real store outages (a SQLite file locked by another connection, a database path that cannot be opened) in the
/// middle of a run: every event, run record, learning and relation ends up stored exactly once, in order.
/// </summary>
public sealed class StoreOutageTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private string Db => Path.Combine(_dir.Path, "agentlog.db");
    private string BufferDir => Path.Combine(_dir.Path, "buffer");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private WritePipelineOptions Options(StringWriter diagnostics) => new()
    {
        BatchSize = 100,
        FlushInterval = TimeSpan.FromMilliseconds(50),
        BufferDirectory = BufferDir,
        MinRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        Diagnostics = TextWriter.Synchronized(diagnostics),
    };

    private static Serilog.Core.Logger Logger(StoreWritePipeline pipeline) =>
        new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.AgentStore(pipeline).CreateLogger();

    private static void Log(ILogger logger, string executionId, int from, int count)
    {
        using (LogContext.PushProperty(LogProperties.ExecutionId, executionId))
        {
            for (var i = from; i < from + count; i++)
            {
                logger.Information("step {Seq}", i);
            }
        }
    }

    private static LogRelation Relation(string from, string to) => new()
    {
        RelationId = EventIds.New(), From = from, To = to, Type = "caused_by", Rationale = "test", CreatedAt = DateTimeOffset.UtcNow,
    };

    private void AssertStoredExactlyOnceInOrder(string executionId, int events, int learnings, int relations, string? database = null)
    {
        var Db = database ?? this.Db;
        Assert.Equal((events, events), StoreRows.Count(Db, "log_events", "event_id", $"execution_id = '{executionId}'"));
        Assert.Equal((learnings, learnings), StoreRows.Count(Db, "agent_learnings", "learning_id"));
        Assert.Equal((relations, relations), StoreRows.Count(Db, "log_relations", "relation_id"));
        Assert.Equal((1L, 1L), StoreRows.Count(Db, "script_runs", "execution_id", $"execution_id = '{executionId}' AND status = 'success'"));
        var order = StoreRows.ExtraValuesInStoreOrder(Db, executionId, "Seq");
        Assert.Equal(Enumerable.Range(0, events).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), order);
    }

    [Fact]
    public async Task Sqlite_locked_by_another_connection_mid_run_stores_every_write_exactly_once_in_order()
    {
        var data = new StoreTestData("lock");
        var id = data.NewExecutionId();
        var diagnostics = new StringWriter();
        await using var store = new SqliteLogStore(Db, new SqliteLogStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        await using (var pipeline = new StoreWritePipeline(store, Options(diagnostics)))
        {
            using var logger = Logger(pipeline);
            pipeline.Enqueue(new RunStartWrite(data.Run(id)));
            Log(logger, id, 0, 300);
            pipeline.Enqueue(new LearningWrite(data.Learning(id, "before the outage")));
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(0, pipeline.Counters.Buffered);

            using (StoreRows.LockExclusively(Db))
            {
                Log(logger, id, 300, 700);
                pipeline.Enqueue(new LearningWrite(data.Learning(id, "during the outage")));
                pipeline.Enqueue(new RelationWrite(Relation(id, "run:elsewhere")));
                pipeline.Enqueue(new ProgressWrite(id, new RunProgress("half", 50, DateTimeOffset.UtcNow)));
                Assert.False(await pipeline.FlushAsync(Ct));
                Assert.True(pipeline.Counters.Buffered > 0);
                Assert.Contains("locked", diagnostics.ToString());
            }

            Log(logger, id, 1000, 200);
            pipeline.Enqueue(new RunEndWrite(data.End(id, RunStatus.Success)));
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(0, pipeline.Counters.Dropped);
            Assert.Empty(Directory.GetFiles(BufferDir, "buffer-*"));
        }
        AssertStoredExactlyOnceInOrder(id, 1200, 2, 1);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_for_the_whole_run_gets_everything_at_the_next_run()
    {
        var data = new StoreTestData("unopenable");
        var id = data.NewExecutionId();
        // The store's folder is a file: the database cannot be created (works as root too, unlike chmod).
        var blocked = Path.Combine(_dir.Path, "blocked");
        File.WriteAllText(blocked, "not a folder");
        var db = Path.Combine(blocked, "agentlog.db");
        var diagnostics = new StringWriter();
        await using (var down = new SqliteLogStore(db))
        await using (var pipeline = new StoreWritePipeline(down, Options(diagnostics)))
        {
            Assert.NotNull(await pipeline.InitializeStoreAsync(Ct));
            using var logger = Logger(pipeline);
            pipeline.Enqueue(new RunStartWrite(data.Run(id)));
            Log(logger, id, 0, 500);
            pipeline.Enqueue(new LearningWrite(data.Learning(id, "learned while down")));
            pipeline.Enqueue(new RelationWrite(Relation(id, "run:other")));
            pipeline.Enqueue(new RunEndWrite(data.End(id, RunStatus.Success)));
            Assert.False(await pipeline.FlushAsync(Ct));
            Assert.Equal(0, pipeline.Counters.Stored);
            Assert.Equal(0, pipeline.Counters.Dropped);
        }
        Assert.Contains("cannot be opened", diagnostics.ToString());
        Assert.NotEmpty(Directory.GetFiles(BufferDir, "buffer-*"));

        // The store comes back; the next process using the same buffer folder replays on start.
        File.Delete(blocked);
        await using (var up = new SqliteLogStore(db))
        await using (var next = new StoreWritePipeline(up, Options(new StringWriter())))
        {
            Assert.True(await next.FlushAsync(Ct));
            Assert.Equal(504, next.Counters.Replayed);
        }
        Assert.Empty(Directory.GetFiles(BufferDir, "buffer-*"));
        AssertStoredExactlyOnceInOrder(id, 500, 1, 1, db);
    }

    [Fact]
    public async Task Buffer_bound_hit_warns_once_names_the_setting_and_counts_every_dropped_write()
    {
        var data = new StoreTestData("bound");
        var id = data.NewExecutionId();
        var diagnostics = new StringWriter();
        var store = new FailingStore(new SqliteLogStore(Db)) { Down = true };
        await using (var pipeline = new StoreWritePipeline(store, Options(diagnostics) with { MaxBufferBytes = 64 * 1024 }, ownsStore: true))
        {
            using var logger = Logger(pipeline);
            Log(logger, id, 0, 2000);
            await pipeline.FlushAsync(Ct);
            var c = pipeline.Counters.Snapshot();
            Assert.True(c.Dropped > 0);
            Assert.Equal(2000, c.Buffered + c.Dropped);
            var text = diagnostics.ToString();
            Assert.Contains("LOG_MAX_BUFFER_SIZE_MB", text);
            Assert.Contains("DROPPED", text);
            Assert.Equal(1, CountOccurrences(text, "is full"));
            // The status file the CLI reads carries the counter.
            Assert.Equal(c.Dropped, SinkStatus.TryRead(BufferDir)?.Counters.Dropped);
        }
    }

    private static int CountOccurrences(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
