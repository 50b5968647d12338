using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;

namespace AgentScript.Tests.Storage;

/// <summary>
/// The SQLite store's default (bounded) search: it finds the best matches of a common word even when they are old,
/// keeps the filters, and a store file made before the events index had its length class is rebuilt on open.
/// </summary>
public sealed class SqliteSearchRankingTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => Path.Combine(_dir.Path, "store", "agentlog.db");

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// 8 short "beacon" events (4 INFO, 4 ERROR) long ago, then 300 newer, longer "beacon" events: bm25 ranks the short
    /// ones best, and none of them is among the newest matches.
    /// </summary>
    private static async Task<StoreTestData> WriteOldShortMatchesAsync(IAgentLogStore store)
    {
        var data = new StoreTestData();
        var id = data.NewExecutionId();
        var writes = new List<StoreWrite>();
        for (var i = 0; i < 8; i++)
        {
            writes.Add(new AppendEvent(data.Event(id, $"beacon lost {i}", data.T0.AddSeconds(i), i % 2 == 0 ? LogLevels.Info : LogLevels.Error)));
        }
        for (var i = 0; i < 300; i++)
        {
            writes.Add(new AppendEvent(data.Event(id, $"the beacon was checked again by worker {i % 7} while the queue held {i} items and nothing changed", data.T0.AddMinutes(1).AddSeconds(i))));
        }
        await store.WriteAsync(writes, Ct);
        return data;
    }

    [Fact]
    public async Task Default_search_of_a_common_word_returns_the_exhaustive_top_hits_when_they_are_old_and_short()
    {
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { SearchCandidates = 40, SearchHints = true });
        await store.InitializeAsync(Ct);
        var data = await WriteOldShortMatchesAsync(store);

        var fast = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 5 }, Ct));
        var all = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 5, Exhaustive = true }, Ct));
        Assert.True(all.Exhaustive);
        Assert.Equal(308, all.MatchesRanked);
        Assert.All(all, h => Assert.StartsWith("beacon lost", h.Event.Message));
        // Same hits and the same scores as the exhaustive ranking, from at most 40 ranked matches.
        Assert.Equal(all.Select(h => h.Score), fast.Select(h => h.Score));
        Assert.Equal(all.Select(h => h.Event.EventId), fast.Select(h => h.Event.EventId));
        Assert.False(fast.Exhaustive);
        Assert.InRange(fast.MatchesRanked, 5, 40);
        // Every match since SearchedSince was ranked: the newest window is a quarter of the budget (10 matches).
        Assert.Equal(data.T0.AddMinutes(1).AddSeconds(290), fast.SearchedSince);

        // Paging goes on in the same order.
        var second = await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 3, Offset = 5 }, Ct);
        var allSecond = await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 3, Offset = 5, Exhaustive = true }, Ct);
        Assert.Equal(allSecond.Select(h => h.Event.EventId), second.Select(h => h.Event.EventId));
    }

    [Fact]
    public async Task Default_search_finds_old_events_that_repeat_the_word_ahead_of_newer_shorter_ones()
    {
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { SearchCandidates = 40, SearchHints = true });
        await store.InitializeAsync(Ct);
        var data = new StoreTestData();
        var id = data.NewExecutionId();
        var writes = new List<StoreWrite>();
        for (var i = 0; i < 6; i++)
        {
            writes.Add(new AppendEvent(data.Event(id, $"beacon beacon lost {i}", data.T0.AddSeconds(i))));
        }
        for (var i = 0; i < 300; i++)
        {
            writes.Add(new AppendEvent(data.Event(id, $"beacon seen {i}", data.T0.AddMinutes(1).AddSeconds(i))));
        }
        await store.WriteAsync(writes, Ct);

        var fast = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 5 }, Ct));
        var all = await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 5, Exhaustive = true }, Ct);
        Assert.All(all, h => Assert.StartsWith("beacon beacon", h.Event.Message)); // tf 2 beats a shorter event
        Assert.Equal(all.Select(h => h.Event.EventId), fast.Select(h => h.Event.EventId));
        Assert.False(fast.Exhaustive);
    }

    [Fact]
    public async Task The_short_matches_pass_keeps_the_filters()
    {
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { SearchCandidates = 40, SearchHints = true });
        await store.InitializeAsync(Ct);
        var data = await WriteOldShortMatchesAsync(store);

        var errors = await store.SearchAsync(new SearchQuery { Text = "beacon", Level = "error", Limit = 10 }, Ct);
        Assert.Equal(4, errors.Count);
        Assert.All(errors, h => Assert.Equal(LogLevels.Error, h.Event.Level));
        var late = await store.SearchAsync(new SearchQuery { Text = "beacon", Since = data.T0.AddSeconds(30), Limit = 5 }, Ct);
        Assert.Equal(5, late.Count);
        Assert.All(late, h => Assert.DoesNotContain("lost", h.Event.Message, StringComparison.Ordinal));
        var otherRun = await store.SearchAsync(new SearchQuery { Text = "beacon", ExecutionId = data.NewExecutionId(data.T0.AddDays(1)) }, Ct);
        Assert.Empty(otherRun);
        // The length-class token is not searchable text.
        Assert.Empty(await store.SearchAsync(new SearchQuery { Text = SqliteSchema.SizeClassToken + "a" }, Ct));
    }

    [Fact]
    public async Task A_store_file_whose_events_index_has_no_length_class_is_rebuilt_on_open()
    {
        await using (var old = new SqliteLogStore(DbPath))
        {
            await old.InitializeAsync(Ct);
            await WriteOldShortMatchesAsync(old);
            // The events index as earlier versions made it: three text columns, no length class.
            await old.QueryAsync("DROP TABLE log_events_fts", allowWrites: true, cancellationToken: Ct);
            await old.QueryAsync(
                "CREATE VIRTUAL TABLE log_events_fts USING fts5 (message, exception, payload, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')",
                allowWrites: true, cancellationToken: Ct);
            await old.QueryAsync("INSERT INTO log_events_fts (rowid, message, exception, payload) SELECT id, message, NULL, payload FROM log_events", allowWrites: true, cancellationToken: Ct);
            var columns = await old.QueryAsync(SqliteSchema.SearchColumnsPresent, cancellationToken: Ct);
            Assert.Equal(0L, columns.Rows[0][0]);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { SearchCandidates = 40, SearchHints = true });
        var info = await store.InitializeAsync(Ct);
        Assert.False(info.Created);
        Assert.Equal(1L, (await store.QueryAsync(SqliteSchema.SearchColumnsPresent, cancellationToken: Ct)).Rows[0][0]);
        Assert.Equal(308L, (await store.QueryAsync("SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH 'beacon'", cancellationToken: Ct)).Rows[0][0]);
        Assert.Equal(8L, (await store.QueryAsync($"SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH 'rank_hints : {SqliteSchema.SizeClassToken}c'", cancellationToken: Ct)).Rows[0][0]);
        var hits = await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 5 }, Ct);
        Assert.All(hits, h => Assert.StartsWith("beacon lost", h.Event.Message));
        // New events are indexed with their class too.
        var data = new StoreTestData();
        await store.WriteAsync([new AppendEvent(data.Event(data.NewExecutionId(), "beacon"))], Ct);
        Assert.Equal("beacon", (await store.SearchAsync(new SearchQuery { Text = "beacon", Limit = 1 }, Ct))[0].Event.Message);
    }

    [Theory]
    [InlineData("Executor queued config nydix = rete", 5)]
    [InlineData("read /home/agent/projects/x_y/z.cs in 12 ms", 11)]
    [InlineData("  -- : ", 0)]
    [InlineData("Ünïcode naïve café", 3)]
    [InlineData("", 0)]
    public void Token_count_follows_unicode61(string text, long tokens) => Assert.Equal(tokens, SqliteTokenCount.Count(text));

    [Theory]
    [InlineData("beacon beacon lost", null, null, "beacon")]
    [InlineData("Table finished test x_test in 5 ms", "{\"type\":\"Test\"}", null, "test")]
    [InlineData("nothing twice here", null, "{\"other\":1}", null)]
    [InlineData("a A b B a", null, null, "a b")]
    public void Repeats_lists_each_word_found_more_than_once(string message, string? exception, string? payload, string? expected) =>
        Assert.Equal(expected, SqliteTokenCount.Repeats(message, exception, payload));

    [Theory]
    [InlineData("beacon beacon lost", null, "zzlenc beacon")]
    [InlineData("one", null, "zzlena")]
    [InlineData("ok", "{\"type\":\"E\",\"message\":\"bad thing\",\"stack_trace\":\"at X\"}", "zzlenf")] // indexed: ok E bad thing at X
    public void Rank_hints_hold_the_length_class_and_the_repeated_words(string message, string? exception, string expected) =>
        Assert.Equal(expected, SqliteTokenCount.Hints(message, exception, null));
}
