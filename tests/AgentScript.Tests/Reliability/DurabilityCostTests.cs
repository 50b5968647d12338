using System.Diagnostics;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Storage;
using Serilog;
using Serilog.Context;

namespace AgentScript.Tests.Reliability;

/// <summary>The cost of LOG_DURABILITY=sync against batched, measured in one run (reported, never asserted on timing).</summary>
public sealed class DurabilityCostTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<double> EventsPerSecondAsync(Durability durability, int n)
    {
        var name = durability.ToString();
        var db = Path.Combine(_dir.Path, name + ".db");
        await using var store = new SqliteLogStore(db);
        double rate;
        await using (var pipeline = new StoreWritePipeline(store, new WritePipelineOptions
        {
            BufferDirectory = Path.Combine(_dir.Path, name),
            Durability = durability,
            FlushInterval = TimeSpan.FromMilliseconds(100),
            Diagnostics = TextWriter.Null,
        }))
        {
            using var logger = new LoggerConfiguration().Enrich.FromLogContext().WriteTo.AgentStore(pipeline).CreateLogger();
            var clock = Stopwatch.StartNew();
            using (LogContext.PushProperty(LogProperties.ExecutionId, "cost"))
            {
                for (var i = 0; i < n; i++)
                {
                    logger.Information("cost {Seq}", i);
                }
            }
            rate = n / clock.Elapsed.TotalSeconds;
            // Sync: the buffer is replayed on flush/dispose; the row count below is the check.
            await pipeline.FlushAsync(Ct);
        }
        Assert.Equal((n, n), StoreRows.Count(db, "log_events", "event_id"));
        return rate;
    }

    [Fact]
    public async Task Sync_durability_stores_everything_and_its_cost_is_measured()
    {
        const int n = 20_000;
        var batched = await EventsPerSecondAsync(Durability.Batched, n);
        var sync = await EventsPerSecondAsync(Durability.Synchronous, n);
        Figures.Report("log calls per second, batched vs sync", $"{batched:0} vs {sync:0} (batched/sync = {batched / sync:0.0}x)");
    }
}
