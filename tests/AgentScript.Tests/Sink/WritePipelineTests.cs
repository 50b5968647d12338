using System.Text.Json;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;
using Serilog.Context;

namespace AgentScript.Tests.Sink;

public sealed class WritePipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Serilog.Core.Logger Logger(StoreWritePipeline pipeline) =>
        new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.AgentStore(pipeline).CreateLogger();

    private static void LogMany(ILogger logger, string executionId, int count, string prefix = "event")
    {
        using (LogContext.PushProperty(LogProperties.ExecutionId, executionId))
        {
            for (var i = 0; i < count; i++)
            {
                logger.Information(prefix + " {Index}", i);
            }
        }
    }

    private static async Task AssertExactlyOnce(SinkTestEnvironment env, string executionId, int count, string prefix = "event")
    {
        var events = await env.EventsAsync(executionId);
        Assert.Equal(count, events.Count);
        var indexes = events.Select(e => JsonDocument.Parse(e.Event.ExtraJson!).RootElement.GetProperty("Index").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(0, count), indexes);
        Assert.All(events, e => Assert.StartsWith(prefix, e.Event.Message));
    }

    [Fact]
    public async Task Events_reach_the_store_in_batches_and_counters_add_up()
    {
        await using var env = new SinkTestEnvironment();
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions(batchSize: 40) with { MaxBatchSize = 40 }))
        {
            using var logger = Logger(pipeline);
            LogMany(logger, "run_a", 300);
            Assert.True(await pipeline.FlushAsync(Ct));
            var c = pipeline.Counters.Snapshot();
            Assert.Equal(300, c.Received);
            Assert.Equal(300, c.Stored);
            Assert.Equal(0, c.Buffered);
            Assert.Equal(0, c.Dropped);
            Assert.InRange(env.Store.WriteCalls, 300 / 40, 300);
        }
        await AssertExactlyOnce(env, "run_a", 300);
    }

    [Fact]
    public async Task A_producer_faster_than_the_store_has_every_event_stored_when_the_pipeline_is_disposed()
    {
        // The default queue and batch sizes: a tight loop fills the queue, overflows into the lanes, and the
        // disposal must leave nothing behind in the buffer.
        await using var env = new SinkTestEnvironment();
        var pipeline = new StoreWritePipeline(env.Store, new WritePipelineOptions { BufferDirectory = env.BufferDirectory, Diagnostics = TextWriter.Synchronized(env.Diagnostics) });
        using (var logger = Logger(pipeline))
        {
            LogMany(logger, "run_fast", 60_000);
        }
        pipeline.Enqueue(new RunEndWrite(new RunEnd { ExecutionId = "run_fast", Status = RunStatus.Success, EndTime = DateTimeOffset.UtcNow, DurationMs = 1, MessagesLogged = 60_000 }));
        await pipeline.DisposeAsync();
        var c = pipeline.Counters.Snapshot();
        Assert.True(c.Spilled > 0, "the test must overflow the queue to mean anything");
        Assert.True(pipeline.Backlog.PendingBytes == 0, $"left in the buffer: {pipeline.Backlog}; counters {c}; diagnostics: {env.Diagnostics}");
        await AssertExactlyOnce(env, "run_fast", 60_000);
    }

    [Fact]
    public async Task A_backlog_in_memory_is_written_in_larger_batches()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions(batchSize: 40) with { MaxBatchSize = 500, QueueCapacity = 5_000 }))
        {
            using var logger = Logger(pipeline);
            LogMany(logger, "run_big", 1_000);
            // The store holds the writer's first call until every event is queued: the rest is a backlog in memory.
            env.Store.Gate.SetResult();
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(1_000, pipeline.Counters.Snapshot().Stored);
            // 1,000 events in batches of 40 would be at least 25 calls; catching up takes batches of up to 500.
            Assert.InRange(env.Store.WriteCalls, 2, 6);
        }
        await AssertExactlyOnce(env, "run_big", 1_000);
    }

    [Fact]
    public async Task The_caller_never_waits_for_the_store()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions() with { WriteTimeout = TimeSpan.FromMinutes(5) }))
        {
            using var logger = Logger(pipeline);
            // The store holds every write until the gate opens; logging must still complete.
            LogMany(logger, "run_gate", 1000);
            Assert.False(env.Store.Gate.Task.IsCompleted);
            Assert.Equal(1000, pipeline.Counters.Received);
            env.Store.Gate.SetResult();
            Assert.True(await pipeline.FlushAsync(Ct));
        }
        await AssertExactlyOnce(env, "run_gate", 1000);
    }

    [Fact]
    public async Task Store_outage_buffers_durably_and_replay_stores_every_event_exactly_once()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            using var logger = Logger(pipeline);
            LogMany(logger, "run_down", 500);
            Assert.False(await pipeline.FlushAsync(Ct));
            Assert.NotEmpty(env.BufferFiles());
            Assert.Equal(500, pipeline.Counters.Buffered);
            Assert.Equal(0, pipeline.Counters.Stored);
            Assert.Contains("unavailable", env.Diagnostics.ToString());

            env.Store.Down = false;
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(500, pipeline.Counters.Replayed);
            Assert.Equal(0, pipeline.Counters.Dropped);
            Assert.Empty(env.BufferFiles());
        }
        await AssertExactlyOnce(env, "run_down", 500);
    }

    [Fact]
    public async Task A_write_whose_answer_was_lost_is_replayed_without_duplicates()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.LoseAcknowledgement = true;
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            using var logger = Logger(pipeline);
            LogMany(logger, "run_ack", 200);
            Assert.False(await pipeline.FlushAsync(Ct));
            // The first batch is in the store already (written, answer lost) and also in the buffer, with the rest.
            Assert.NotEmpty(await env.EventsAsync("run_ack"));
            Assert.Equal(200, pipeline.Counters.Buffered);
            env.Store.LoseAcknowledgement = false;
            Assert.True(await pipeline.FlushAsync(Ct));
        }
        await AssertExactlyOnce(env, "run_ack", 200);
    }

    [Fact]
    public async Task Writes_buffered_by_one_process_are_replayed_by_the_next()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using (var first = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            using var logger = Logger(first);
            LogMany(logger, "run_next", 120);
        }
        Assert.NotEmpty(env.BufferFiles());
        Assert.Empty(await env.EventsAsync("run_next"));

        env.Store.Down = false;
        await using (var second = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            // Nothing logged here: the writer replays what it found at start.
            Assert.True(await second.FlushAsync(Ct));
            Assert.Equal(120, second.Counters.Replayed);
        }
        await AssertExactlyOnce(env, "run_next", 120);
        Assert.Empty(env.BufferFiles());
    }

    [Fact]
    public async Task Replay_keeps_the_order_of_run_records()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        var start = DateTimeOffset.UtcNow;
        var id = ExecutionIds.Create("ordered", start);
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions(batchSize: 2)))
        {
            pipeline.Enqueue(new RunStartWrite(new ScriptRun { ExecutionId = id, ScriptName = "ordered", Mode = "working", Status = RunStatus.Running, StartTime = start, Pid = Environment.ProcessId }));
            pipeline.Enqueue(new FinalResponseWrite(id, """{"ok":true}"""));
            pipeline.Enqueue(new RunEndWrite(new RunEnd { ExecutionId = id, Status = RunStatus.Success, EndTime = DateTimeOffset.UtcNow, DurationMs = 5, MessagesLogged = 0 }));
            Assert.False(await pipeline.FlushAsync(Ct));
            env.Store.Down = false;
            Assert.True(await pipeline.FlushAsync(Ct));
        }
        var run = await env.Sqlite.GetRunAsync(id, Ct);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Success, run.Status);
        Assert.Equal("""{"ok":true}""", run.FinalResponseJson);
    }

    [Fact]
    public async Task Rejected_writes_go_to_the_dead_letter_file_and_do_not_block_the_rest()
    {
        await using var env = new SinkTestEnvironment();
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            using var logger = Logger(pipeline);
            using (LogContext.PushProperty(LogProperties.ExecutionId, "run_poison"))
            {
                logger.Information("good {Index}", 0);
                logger.Information(FailingStore.PoisonMarker + " {Index}", 1);
                logger.Information("good {Index}", 2);
            }
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(1, pipeline.Counters.DeadLettered);
            Assert.Equal(2, pipeline.Counters.Stored);
        }
        var stored = await env.EventsAsync("run_poison");
        Assert.Equal(["good 0", "good 2"], stored.Select(e => e.Event.Message).Order());
        var deadLetter = File.ReadAllLines(Path.Combine(env.BufferDirectory, DurableBuffer.DeadLetterFileName));
        var entry = JsonDocument.Parse(Assert.Single(deadLetter)).RootElement;
        Assert.Equal("test: poison event refused", entry.GetProperty("reason").GetString());
        Assert.Equal("event", entry.GetProperty("write").GetProperty("$w").GetString());
        Assert.StartsWith(FailingStore.PoisonMarker, entry.GetProperty("write").GetProperty("Event").GetProperty("Message").GetString());
    }

    [Fact]
    public async Task A_full_memory_queue_spills_to_the_buffer_instead_of_dropping_or_blocking()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions(batchSize: 10) with { QueueCapacity = 20, WriteTimeout = TimeSpan.FromMinutes(5) }))
        {
            using var logger = Logger(pipeline);
            LogMany(logger, "run_spill", 400);
            Assert.True(pipeline.Counters.Spilled > 0);
            Assert.NotEmpty(env.BufferFiles());
            env.Store.Gate.SetResult();
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(0, pipeline.Counters.Dropped);
        }
        await AssertExactlyOnce(env, "run_spill", 400);
    }

    [Fact]
    public async Task Synchronous_durability_puts_each_event_on_disk_before_the_log_call_returns()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions() with { Durability = Durability.Synchronous }))
        {
            using var logger = Logger(pipeline);
            LogMany(logger, "run_sync", 25);
            // No flush: the lines are in the buffer files already.
            var lines = env.BufferFiles().SelectMany(f =>
            {
                using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var r = new StreamReader(s);
                return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }).ToList();
            Assert.Equal(25, lines.Count);
            env.Store.Down = false;
            Assert.True(await pipeline.FlushAsync(Ct));
        }
        await AssertExactlyOnce(env, "run_sync", 25);
    }

    [Fact]
    public async Task A_full_buffer_warns_and_counts_dropped_writes()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions() with { MaxBufferBytes = 4096 });
        using var logger = Logger(pipeline);
        LogMany(logger, "run_full", 200);
        await pipeline.FlushAsync(Ct);
        Assert.True(pipeline.Counters.Dropped > 0);
        Assert.True(pipeline.Counters.Buffered > 0);
        Assert.Equal(200, pipeline.Counters.Buffered + pipeline.Counters.Dropped);
        var warning = env.Diagnostics.ToString();
        Assert.Contains("LOG_MAX_BUFFER_SIZE_MB", warning);
        Assert.Contains("DROPPED", warning);
        Assert.True(env.BufferFiles().Sum(f => new FileInfo(f).Length) <= 4096);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // skipped there: Unix mode bits only
    public async Task Buffer_files_are_owner_only_and_status_file_reports_backlog_and_counters()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not apply on Windows.");
        }
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions());
        using var logger = Logger(pipeline);
        LogMany(logger, "run_mode", 10);
        await pipeline.FlushAsync(Ct);
        var file = Assert.Single(env.BufferFiles());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(env.BufferDirectory));

        var status = SinkStatus.TryRead(env.BufferDirectory);
        Assert.NotNull(status);
        Assert.Equal(Environment.ProcessId, status.Pid);
        Assert.Equal(10, status.Counters.Buffered);
        Assert.Equal(1, status.BacklogFiles);
        Assert.True(status.BacklogBytes > 0);
        Assert.Contains("down", status.LastError);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(env.BufferDirectory, SinkStatus.FileName)));
    }

    [Fact]
    public async Task A_torn_last_line_from_a_crash_is_dead_lettered_and_the_rest_replayed()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using (var first = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            using var logger = Logger(first);
            LogMany(logger, "run_torn", 5);
        }
        var file = Assert.Single(env.BufferFiles());
        File.AppendAllText(file, "{\"$w\":\"event\",\"Event\":{\"Even");
        env.Store.Down = false;
        await using (var second = new StoreWritePipeline(env.Store, env.PipelineOptions()))
        {
            Assert.True(await second.FlushAsync(Ct));
            Assert.Equal(1, second.Counters.DeadLettered);
        }
        await AssertExactlyOnce(env, "run_torn", 5);
        Assert.Contains("incomplete last line", File.ReadAllText(Path.Combine(env.BufferDirectory, DurableBuffer.DeadLetterFileName)));
    }

    [Fact]
    public async Task Events_are_counted_per_execution_id()
    {
        await using var env = new SinkTestEnvironment();
        await using var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions());
        using var logger = Logger(pipeline);
        using (LogContext.PushProperty(LogProperties.ExecutionId, "count_me"))
        {
            logger.Information("a");
            logger.Warning("b");
            logger.Error("c");
            logger.Error("d");
        }
        logger.Information("outside");
        var (total, byLevel) = pipeline.GetRunCounts("count_me");
        Assert.Equal(4, total);
        Assert.Equal(1, byLevel["INFO"]);
        Assert.Equal(1, byLevel["WARNING"]);
        Assert.Equal(2, byLevel["ERROR"]);
    }

    [Fact]
    public async Task WriteTo_AgentStore_with_options_opens_the_configured_store_and_drains_on_dispose()
    {
        await using var env = new SinkTestEnvironment();
        var options = new AgentScriptOptions { SqlitePath = env.DatabasePath, BufferDirectory = env.BufferDirectory, FlushInterval = TimeSpan.FromSeconds(30) };
        using (var logger = new LoggerConfiguration().WriteTo.AgentStore(options).CreateLogger())
        {
            // A long flush interval: only disposal can have written these.
            logger.ForContext(LogProperties.ExecutionId, "run_options").Information("from the options overload {Index}", 0);
        }
        await AssertExactlyOnce(env, "run_options", 1, "from the options overload");
    }

    [Fact]
    public async Task ReplayBufferAsync_replays_on_request_and_reports_a_store_still_down()
    {
        await using var env = new SinkTestEnvironment();
        env.Store.Down = true;
        await using var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions() with { MinRetryDelay = TimeSpan.FromHours(1), MaxRetryDelay = TimeSpan.FromHours(1) });
        using var logger = Logger(pipeline);
        LogMany(logger, "run_manual", 30);
        Assert.False(await pipeline.FlushAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => pipeline.ReplayBufferAsync(Ct));

        env.Store.Down = false;
        Assert.Equal(30, await pipeline.ReplayBufferAsync(Ct));
        Assert.Empty(env.BufferFiles());
        await AssertExactlyOnce(env, "run_manual", 30);
    }
}
