// The SQLite store takes "now" from its TimeProvider: age cut-offs and placeholder runs follow a fake clock.
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace AgentScript.Tests.Storage;

public sealed class SqliteStoreClockTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Prune_by_age_counts_from_the_store_clock()
    {
        var data = new StoreTestData();
        var runStart = new DateTimeOffset(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(runStart.AddDays(10));
        await using var store = new SqliteLogStore(Path.Combine(_dir.Path, "agentlog.db"), new SqliteLogStoreOptions { Time = clock });
        var (run, writes) = data.CompleteRun("{}", runStart);
        await store.WriteAsync(writes, Ct);

        // Ten days after the run on the store's clock (the system clock is years earlier): not older than 30 days.
        var young = await store.PruneAsync(new PruneRequest { OlderThan = TimeSpan.FromDays(30), ExecutionIds = [run] }, Ct);
        Assert.Equal(0, young.Runs);
        Assert.NotNull(await store.GetRunAsync(run, Ct));

        clock.Advance(TimeSpan.FromDays(30));
        var old = await store.PruneAsync(new PruneRequest { OlderThan = TimeSpan.FromDays(30), ExecutionIds = [run] }, Ct);
        Assert.Equal(1, old.Runs);
        Assert.Null(await store.GetRunAsync(run, Ct));
    }

    [Fact]
    public async Task A_final_response_without_its_run_start_creates_the_run_at_the_store_clock()
    {
        var now = new DateTimeOffset(2032, 7, 4, 8, 30, 0, TimeSpan.Zero);
        await using var store = new SqliteLogStore(Path.Combine(_dir.Path, "agentlog.db"), new SqliteLogStoreOptions { Time = new FakeTimeProvider(now) });
        var executionId = "clock_test_" + Guid.NewGuid().ToString("N");
        await store.WriteAsync([new FinalResponseWrite(executionId, "{\"ok\":true}")], Ct);

        var stored = await store.GetRunAsync(executionId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(now, stored.StartTime);
    }
}
