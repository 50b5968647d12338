// Tests that losses on a full disk leave a trace: counters in the status file, the run's end record, a warning.
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Sink.Durable;
using AgentScript.Sink.Pipeline;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Sink;
using AgentScript.Tests.Storage;
using Serilog;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// The store is down and the buffer's disk fills up mid-run (simulated with <see cref="FullDisk"/>, a file-system seam
/// that answers ENOSPC — always available, unlike a tmpfs mount that needs root).
/// </summary>
public sealed class DiskFullTests : IDisposable
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

    [Fact]
    public async Task A_run_that_lost_events_to_a_full_disk_says_so_in_its_record_status_file_and_on_stderr()
    {
        var disk = new FullDisk();
        var diagnostics = new StringWriter();
        await using var sqlite = new SqliteLogStore(Db);
        var store = new FailingStore(sqlite) { Down = true };
        var options = new WritePipelineOptions
        {
            BatchSize = 50,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            BufferDirectory = BufferDir,
            MinRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            Diagnostics = TextWriter.Synchronized(diagnostics),
            FileSystem = disk,
        };
        string id;
        long dropped;
        await using (var pipeline = new StoreWritePipeline(store, options))
        {
            using var logger = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.AgentStore(pipeline).CreateLogger();
            var runtime = new AgentRuntime(new AgentScript.Configuration.AgentScriptOptions { SqlitePath = Db, BufferDirectory = BufferDir }, pipeline, logger, ownsLoggerAndPipeline: false);
            var run = AgentRun.Start(runtime, "diskfull");
            id = run.ExecutionId;
            run.Logger.Information("before the disk filled up");
            Assert.False(await pipeline.FlushAsync(Ct)); // buffered: the store is down
            var statusPath = Path.Combine(BufferDir, SinkStatus.FileName);
            Assert.True(File.Exists(statusPath));

            disk.Full = true;
            for (var i = 0; i < 500; i++)
            {
                run.Logger.Information("while the disk is full {Index}", i);
            }
            run.End(RunStatus.Success);
            Assert.False(await pipeline.FlushAsync(Ct));
            var c = pipeline.Counters.Snapshot();
            Assert.True(c.Dropped >= 500, $"dropped {c.Dropped}");
            Assert.True(disk.Refused > 0);
            dropped = pipeline.GetDroppedCount(id);
            Assert.True(dropped >= 500);

            // The status file survived the full disk: same size, readable, with the dropped counter and the run.
            Assert.Equal(StatusWriter.FileSize, new FileInfo(statusPath).Length);
            var status = SinkStatus.TryRead(BufferDir);
            Assert.NotNull(status);
            Assert.Equal(c.Dropped, status.Counters.Dropped);
            Assert.Equal(dropped, status.DroppedRuns?[id]);
            Assert.Empty(Directory.GetFiles(BufferDir, "*.tmp"));

            // The store comes back (the disk is still full): the run's records, held in memory, reach it.
            store.Down = false;
            await pipeline.FlushAsync(Ct);
            await pipeline.FlushAsync(Ct);
        }
        var stored = await sqlite.GetRunAsync(id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(RunStatus.Success, stored.Status);
        Assert.Equal(RunRecordKeeper.DroppedErrorType, stored.Error?.Type);
        Assert.StartsWith($"{dropped} log write(s) of this run were DROPPED", stored.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(503, stored.MessagesLogged); // the RUN_START event, one before, 500 during, the RUN_END event
        var text = diagnostics.ToString();
        Assert.Contains("WARNING:", text, StringComparison.Ordinal);
        Assert.Contains($"{id} ({dropped})", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_file_is_never_replaced_by_an_empty_one_when_the_disk_is_full()
    {
        var disk = new FullDisk();
        var files = new OwnerOnlyFile(disk);
        var writer = new StatusWriter(BufferDir, files, TimeProvider.System);
        SinkStatus Status(long dropped) => new()
        {
            UpdatedAt = DateTimeOffset.UtcNow,
            Pid = 1,
            Counters = new SinkCountersSnapshot(10, 0, 0, 0, 0, dropped, 0),
        };
        // Full before the first status: nothing is created (no zero-byte file, no temp file left).
        disk.Full = true;
        writer.Write(_ => Status(1), force: true);
        Assert.False(File.Exists(Path.Combine(BufferDir, SinkStatus.FileName)));
        Assert.Empty(Directory.Exists(BufferDir) ? Directory.GetFiles(BufferDir) : []);
        // Space back: created at its fixed size; then the disk fills and updates still land, in place.
        disk.Full = false;
        writer.Write(_ => Status(2), force: true);
        disk.Full = true;
        writer.Write(_ => Status(3), force: true);
        Assert.Equal(3, SinkStatus.TryRead(BufferDir)?.Counters.Dropped);
        Assert.Equal(StatusWriter.FileSize, new FileInfo(Path.Combine(BufferDir, SinkStatus.FileName)).Length);
    }
}
