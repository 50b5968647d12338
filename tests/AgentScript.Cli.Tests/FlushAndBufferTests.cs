using AgentScript.Cli.Tests.Support;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;

namespace AgentScript.Cli.Tests;

/// <summary>doctor's view of the durable buffer, and flush replaying it into the store.</summary>
public sealed class FlushAndBufferTests
{
    [Fact]
    public async Task Doctor_shows_the_backlog_and_flush_replays_it_into_the_store()
    {
        await using var temp = new TempStore();
        var options = AgentScriptConfiguration.Load(temp.Directory, temp.Environment);
        var id = ExecutionIds.Create("buffered_script", DateTimeOffset.UtcNow);
        var events = Enumerable.Range(0, 25).Select(i => new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = LogLevels.Info, Category = LogLevels.Info,
            Message = $"buffered event {i} while the store was down", ExecutionId = id, ScriptName = "buffered_script",
        }).ToList();

        // A script whose store is unreachable: its writes land in the durable buffer of LOG_BUFFER_DIR.
        var blocker = Path.Combine(temp.Directory, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x", TestContext.Current.CancellationToken);
        var down = new SqliteLogStore(Path.Combine(blocker, "agentlog.db"));
        await using (var pipeline = new StoreWritePipeline(down, WritePipelineOptions.From(options) with
        {
            Diagnostics = TextWriter.Null,
            DisposeTimeout = TimeSpan.FromSeconds(5),
        }, ownsStore: true))
        {
            pipeline.Enqueue(new RunStartWrite(new ScriptRun { ExecutionId = id, ScriptName = "buffered_script", Mode = "working", Status = RunStatus.Running, StartTime = DateTimeOffset.UtcNow }));
            foreach (var e in events)
            {
                pipeline.Enqueue(new EventWrite(e));
            }
            await pipeline.FlushAsync(TestContext.Current.CancellationToken);
        }

        var before = (await temp.RunAsync("doctor", "--json")).Expect(0).Json();
        var buffer = before.GetProperty("buffer");
        Assert.True(buffer.GetProperty("pending_bytes").GetInt64() > 0, before.ToString());
        Assert.True(buffer.GetProperty("files").GetInt64() >= 1);
        Assert.True(before.GetProperty("counters").GetProperty("buffered").GetInt64() >= 26);
        Assert.Equal(0, before.GetProperty("counters").GetProperty("dropped").GetInt64());
        Assert.Contains("agentlog flush", (await temp.RunAsync("doctor")).Expect(0).Stdout);
        (await temp.RunAsync("show", id)).Expect(1); // not in the store yet

        var flush = (await temp.RunAsync("flush", "--json")).Expect(0).Json();
        Assert.Equal(26, flush.GetProperty("replayed").GetInt64());
        Assert.Equal(0, flush.GetProperty("remaining_bytes").GetInt64());

        var show = (await temp.RunAsync("show", id, "--json")).Expect(0).Json();
        Assert.Equal(25, show.GetProperty("event_count").GetInt64());
        var after = (await temp.RunAsync("doctor", "--json")).Expect(0).Json();
        Assert.Equal(0, after.GetProperty("buffer").GetProperty("pending_bytes").GetInt64());

        // Nothing left: a second flush replays nothing and creates no duplicates.
        Assert.Equal(0, (await temp.RunAsync("flush", "--json")).Expect(0).Json().GetProperty("replayed").GetInt64());
        Assert.Equal(25, (await temp.RunAsync("show", id, "--json")).Expect(0).Json().GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task Doctor_names_the_runs_that_lost_writes_and_their_end_record_says_so_after_flush()
    {
        await using var temp = new TempStore();
        var ct = TestContext.Current.CancellationToken;
        var options = AgentScriptConfiguration.Load(temp.Directory, temp.Environment);
        var id = ExecutionIds.Create("lossy_script", DateTimeOffset.UtcNow);
        var blocker = Path.Combine(temp.Directory, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x", ct);
        // The store is down and the buffer bound is tiny: most events are dropped; the run records pass the bound.
        await using (var pipeline = new StoreWritePipeline(new SqliteLogStore(Path.Combine(blocker, "agentlog.db")), WritePipelineOptions.From(options) with
        {
            Diagnostics = TextWriter.Null,
            DisposeTimeout = TimeSpan.FromSeconds(5),
            MaxBufferBytes = 4096,
        }, ownsStore: true))
        {
            pipeline.Enqueue(new RunStartWrite(new ScriptRun { ExecutionId = id, ScriptName = "lossy_script", Mode = "working", Status = RunStatus.Running, StartTime = DateTimeOffset.UtcNow }));
            for (var i = 0; i < 200; i++)
            {
                pipeline.Enqueue(new EventWrite(new LogEventRecord
                {
                    EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = LogLevels.Info, Category = LogLevels.Info,
                    Message = $"event {i} of a run whose buffer is full", ExecutionId = id, ScriptName = "lossy_script",
                }));
            }
            pipeline.Enqueue(new RunEndWrite(new RunEnd { ExecutionId = id, Status = RunStatus.Success, EndTime = DateTimeOffset.UtcNow, DurationMs = 1, MessagesLogged = 200 }));
            await pipeline.FlushAsync(ct);
            Assert.True(pipeline.GetDroppedCount(id) > 0);
        }

        var doctor = (await temp.RunAsync("doctor", "--json")).Expect(0).Json();
        var dropped = doctor.GetProperty("counters").GetProperty("dropped").GetInt64();
        Assert.True(dropped > 0, doctor.ToString());
        Assert.Equal(dropped, doctor.GetProperty("dropped_runs").GetProperty(id).GetInt64());
        var human = (await temp.RunAsync("doctor")).Expect(0).Stdout;
        Assert.Contains("DROPPED", human);
        Assert.Contains($"{id} ({dropped})", human);

        // Once replayed, the run's own record carries the loss.
        (await temp.RunAsync("flush", "--json")).Expect(0);
        var show = (await temp.RunAsync("show", id, "--json")).Expect(0).Stdout;
        Assert.Contains("AgentScript.LogWritesDropped", show);
        Assert.Contains($"{dropped} log write(s) of this run were DROPPED", show);
    }
}
