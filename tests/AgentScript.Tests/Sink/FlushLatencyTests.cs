// Tests that a flush (what every in-script read does first) wakes the writer at once instead of waiting for the flush timer.
using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Sink;
using Serilog;

namespace AgentScript.Tests.Sink;

public sealed class FlushLatencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_read_after_a_write_sees_it_well_within_a_5_s_flush_interval()
    {
        await using var env = new SinkTestEnvironment();
        var interval = TimeSpan.FromSeconds(5);
        await using var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions() with { FlushInterval = interval });
        Assert.Null(await pipeline.InitializeStoreAsync(Ct));
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.AgentStore(pipeline).CreateLogger();
        var log = logger.ForContext(LogProperties.ExecutionId, "read_own_writes");
        var slowest = TimeSpan.Zero;
        // Several rounds: a write wakes the writer through the queue, the flush right after must wake it again.
        for (var i = 0; i < 5; i++)
        {
            log.Information("step {Index}", i);
            // The script works a little between its log call and its read: the writer has taken the event and waits
            // for more (there is no signal for "the writer is waiting"; this pause is the script's own work).
            await Task.Delay(100, Ct);
            var clock = Stopwatch.StartNew();
            Assert.True(await pipeline.FlushAsync(Ct));
            clock.Stop();
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            Assert.Equal(i + 1, (await env.EventsAsync("read_own_writes")).Count);
        }
        // One store write takes milliseconds; the flush timer would take 5 s.
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"slowest flush {slowest.TotalMilliseconds:0} ms with a {interval.TotalSeconds} s flush interval");
    }
}
