using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Sink;

/// <summary>The durable buffer's replay rules, driven directly: what is read is what may be deleted; lanes replay in order.</summary>
public sealed class DurableBufferTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private string BufferDir => Path.Combine(_dir.Path, "buffer");

    public void Dispose() => _dir.Dispose();

    private static EventWrite Event(int seq) => new(new LogEventRecord
    {
        EventId = "e" + seq,
        Timestamp = DateTimeOffset.UtcNow,
        Level = LogLevels.Info,
        Message = "event " + seq,
        Category = LogLevels.Info,
    });

    private static int Seq(StoreWrite w) => int.Parse(((EventWrite)w).Event.EventId[1..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Lines_appended_after_the_replay_read_a_file_are_not_deleted_with_it()
    {
        var counters = new SinkCounters();
        // Two buffers on one folder: a writer (another process, or a synchronous-durability caller) and a replayer.
        using var writer = new DurableBuffer(BufferDir, long.MaxValue, counters, TextWriter.Null);
        using var replayer = new DurableBuffer(BufferDir, long.MaxValue, counters, TextWriter.Null);
        Assert.True(writer.TryAppend([Event(0), Event(1)]));
        var replayed = new List<int>();
        var appendedDuringReplay = false;
        await replayer.ReplayAsync(batch =>
        {
            replayed.AddRange(batch.Select(Seq));
            if (!appendedDuringReplay)
            {
                // The writer appends after the replayer's read, then closes its file (a roll at 16 MB) before the
                // replayer tries to delete it.
                appendedDuringReplay = true;
                Assert.True(writer.TryAppend([Event(2)]));
                writer.CloseActive();
            }
            return Task.CompletedTask;
        }, batchSize: 100, Ct);
        // The first pass read a file that then grew: it keeps it (with its bookmark) instead of deleting line 2.
        var second = await replayer.ReplayAsync(batch => { replayed.AddRange(batch.Select(Seq)); return Task.CompletedTask; }, 100, Ct);
        Assert.True(second.Complete);
        Assert.Equal([0, 1, 2], replayed);
    }

    [Fact]
    public async Task Replays_across_files_and_passes_read_each_line_whole_whatever_the_previous_read_left_in_the_buffer()
    {
        var counters = new SinkCounters();
        using var writer = new DurableBuffer(BufferDir, long.MaxValue, counters, TextWriter.Null);
        using var replayer = new DurableBuffer(BufferDir, long.MaxValue, counters, TextWriter.Null);
        // A line longer than the replayer's 1 MB read buffer, short lines after it, then a later pass with a short file:
        // the reader's buffer is kept from read to read, so what an earlier read left in it must never show.
        var huge = Event(0) with { Event = Event(0).Event with { Message = new string('x', 1_500_000) } };
        Assert.True(writer.TryAppend([huge, .. Enumerable.Range(1, 2_000).Select(Event)]));
        writer.CloseActive();
        Assert.True(writer.TryAppend([Event(5_000)]));
        writer.CloseActive();
        var replayed = new List<StoreWrite>();
        var first = await replayer.ReplayAsync(batch => { replayed.AddRange(batch); return Task.CompletedTask; }, 500, Ct);
        Assert.True(first.Complete);
        Assert.True(writer.TryAppend([Event(6_000), Event(6_001)]));
        writer.CloseActive();
        var second = await replayer.ReplayAsync(batch => { replayed.AddRange(batch); return Task.CompletedTask; }, 500, Ct);
        Assert.True(second.Complete);
        Assert.Equal([0, .. Enumerable.Range(1, 2_000), 5_000, 6_000, 6_001], replayed.Select(Seq));
        Assert.Equal(1_500_000, ((EventWrite)replayed[0]).Event.Message.Length);
        Assert.All(replayed.Skip(1), w => Assert.Equal("event " + Seq(w), ((EventWrite)w).Event.Message));
    }

    [Fact]
    public async Task The_memory_lane_replays_before_the_overflow_lane_and_a_live_lane_holds_back_what_follows()
    {
        var counters = new SinkCounters();
        using var buffer = new DurableBuffer(BufferDir, long.MaxValue, counters, TextWriter.Null);
        buffer.OpenLanes();
        // Callers overflow first (newer writes), the writer moves the older queued writes to the memory lane after.
        Assert.True(buffer.TryAppendOverflow(Event(10)));
        Assert.True(buffer.TryAppend([Event(0), Event(1)]));
        var replayed = new List<int>();
        var first = await buffer.ReplayAsync(batch => { replayed.AddRange(batch.Select(Seq)); return Task.CompletedTask; }, 100, Ct);
        // The memory lane is still open (more older writes may come): the overflow lane behind it must wait.
        Assert.False(first.Complete);
        Assert.Equal([0, 1], replayed);
        Assert.True(buffer.TryAppend([Event(2)]));
        buffer.CloseLanes();
        var second = await buffer.ReplayAsync(batch => { replayed.AddRange(batch.Select(Seq)); return Task.CompletedTask; }, 100, Ct);
        Assert.True(second.Complete);
        Assert.Equal([0, 1, 2, 10], replayed);
    }
}
