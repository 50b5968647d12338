using System.Diagnostics;
using System.Globalization;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// 1,000,000 events with a real store outage (SQLite locked by another connection) from 30% to 70%: every event
/// stored exactly once, in order. Part of the ordinary test run (about a minute and a half); leave it out of a quick
/// local run with <c>--filter "Category!=Stress"</c>.
/// </summary>
[Trait("Category", "Stress")]
public sealed class MillionEventStressTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_million_events_with_an_outage_in_the_middle_are_all_stored_exactly_once_in_order()
    {
        const int total = 1_000_000;
        var db = Path.Combine(_dir.Path, "agentlog.db");
        var data = new StoreTestData("million");
        var id = data.NewExecutionId();
        var clock = Stopwatch.StartNew();
        await using var store = new SqliteLogStore(db, new SqliteLogStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        var options = new WritePipelineOptions
        {
            BatchSize = 1000,
            FlushInterval = TimeSpan.FromMilliseconds(100),
            BufferDirectory = Path.Combine(_dir.Path, "buffer"),
            MinRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            Diagnostics = TextWriter.Null,
        };
        long peakBuffered = 0;
        await using (var pipeline = new StoreWritePipeline(store, options))
        {
            Assert.Null(await pipeline.InitializeStoreAsync(Ct));
            pipeline.Enqueue(new RunStartWrite(data.Run(id)));
            IDisposable? outage = null;
            var template = data.Event(id, "");
            for (var i = 0; i < total; i++)
            {
                if (i == total * 3 / 10)
                {
                    Assert.True(await pipeline.FlushAsync(Ct));
                    outage = StoreRows.LockExclusively(db);
                }
                if (i == total * 7 / 10)
                {
                    await pipeline.FlushAsync(Ct);
                    peakBuffered = pipeline.Counters.Buffered;
                    outage!.Dispose();
                }
                pipeline.Enqueue(new EventWrite(template with
                {
                    EventId = EventIds.New(),
                    Message = "million " + i.ToString(CultureInfo.InvariantCulture),
                    ExtraJson = "{\"Seq\":" + i.ToString(CultureInfo.InvariantCulture) + ",\"T\":0}",
                }));
            }
            pipeline.Enqueue(new RunEndWrite(data.End(id, RunStatus.Success)));
            Assert.True(await pipeline.FlushAsync(Ct));
            var c = pipeline.Counters.Snapshot();
            Assert.Equal(0, c.Dropped);
            Assert.True(c.Stored + c.Replayed >= total + 2);
            Assert.True(peakBuffered >= total / 4, $"the outage buffered only {peakBuffered}");
        }
        var elapsed = clock.Elapsed;
        Assert.Equal((total, total), StoreRows.Count(db, "log_events", "event_id"));
        LoadTests.AssertPerWriterOrder(db, "T", 1, total);
        Figures.Report("1M events with a 40% outage: wall time", $"{elapsed.TotalSeconds:0.0} s (buffered during the outage: {peakBuffered})");
        Figures.Report("1M events: peak working set of the test process", $"{Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
    }
}
