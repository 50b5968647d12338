using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentScript.Tests.Storage;

/// <summary>The write path's tuning: page size, background checkpoints, time-ordered ids.</summary>
public sealed class SqliteWritePathTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => Path.Combine(_dir.Path, "agentlog.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static List<StoreWrite> Events(StoreTestData data, string executionId, string word, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (StoreWrite)new EventWrite(data.Event(executionId, $"{word} event {i} with some words to index")))];

    private static async Task<long> ScalarAsync(IAgentLogStore store, string sql) =>
        Convert.ToInt64((await store.QueryAsync(sql, cancellationToken: Ct)).Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_new_store_uses_16_KiB_pages()
    {
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        Assert.Equal(SqliteSchema.PageSize, await ScalarAsync(store, "PRAGMA page_size"));
        Assert.Equal(16384, SqliteSchema.PageSize);
    }

    [Fact]
    public async Task An_existing_4_KiB_store_keeps_its_page_size_and_its_data_and_takes_new_writes()
    {
        var data = new StoreTestData();
        var execution = data.NewExecutionId();
        // A store as the previous release made it: 4 KiB pages, same schema, one event.
        await using (var old = new SqliteLogStore(DbPath))
        {
            using (var c = new SqliteConnection($"Data Source={DbPath};Pooling=false"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;";
                cmd.ExecuteNonQuery();
            }
            await old.InitializeAsync(Ct);
            Assert.Equal(4096, await ScalarAsync(old, "PRAGMA page_size"));
            Assert.True((await old.WriteAsync(Events(data, execution, "oldword", 1), Ct)).Rejected.Count == 0);
        }

        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        Assert.True((await store.WriteAsync(Events(data, execution, "newword", 3), Ct)).Rejected.Count == 0);
        Assert.Equal(4096, await ScalarAsync(store, "PRAGMA page_size"));
        Assert.Single(await store.SearchAsync(new SearchQuery { Text = "oldword" }, Ct));
        Assert.Equal(3, (await store.SearchAsync(new SearchQuery { Text = "newword" }, Ct)).Count);
    }

    [Fact]
    public async Task Commits_are_checkpointed_into_the_database_file_in_the_background()
    {
        var data = new StoreTestData();
        var execution = data.NewExecutionId();
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        var before = new FileInfo(DbPath).Length;
        for (var b = 0; b < 10; b++)
        {
            Assert.True((await store.WriteAsync(Events(data, execution, "ckpt" + b, 1_000), Ct)).Rejected.Count == 0);
        }
        // Far below the writer's own auto-checkpoint threshold (64 MiB): only the background checkpointer copies
        // these pages into the database file before the store is closed.
        Assert.True(new FileInfo(DbPath + "-wal").Length < SqliteCheckpointer.SafetyValveBytes);
        // The checkpointer copies the pages (the file grows) before it counts the checkpoint: wait for both.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((store.BackgroundCheckpoints == 0 || new FileInfo(DbPath).Length < before + 1_000_000) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.True(store.BackgroundCheckpoints > 0);
        Assert.True(new FileInfo(DbPath).Length >= before + 1_000_000, $"database file {new FileInfo(DbPath).Length} bytes, was {before}");
        Assert.Equal(10_000, await ScalarAsync(store, "SELECT count(*) FROM log_events"));
        Assert.Equal(1_000, await ScalarAsync(store, "SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH 'ckpt9'"));
    }

    [Fact]
    public async Task The_same_events_written_again_after_a_checkpoint_are_stored_once()
    {
        var data = new StoreTestData();
        var execution = data.NewExecutionId();
        var batch = Events(data, execution, "replayed", 2_000);
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        Assert.True((await store.WriteAsync(batch, Ct)).Rejected.Count == 0);
        Assert.True((await store.WriteAsync(batch, Ct)).Rejected.Count == 0);
        Assert.Equal(2_000, await ScalarAsync(store, "SELECT count(*) FROM log_events"));
        Assert.Equal(2_000, (await store.InitializeAsync(Ct)).Counts["log_events"]);
    }

    [Fact]
    public void Event_ids_are_unique_across_threads()
    {
        var perThread = 20_000;
        var lists = new string[4][];
        Parallel.For(0, lists.Length, t => lists[t] = [.. Enumerable.Range(0, perThread).Select(_ => EventIds.New())]);
        var all = lists.SelectMany(l => l).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public void Event_ids_made_in_a_later_millisecond_sort_after_earlier_ones()
    {
        // Time-ordered ids keep the UNIQUE event_id index appending at its end instead of splitting random pages.
        var earlier = EventIds.New();
        var start = DateTime.UtcNow;
        while (DateTime.UtcNow - start < TimeSpan.FromMilliseconds(3))
        {
            Thread.SpinWait(100);
        }
        var later = EventIds.New();
        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} !< {later}");
    }
}
