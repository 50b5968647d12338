using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentScript.Tests.Storage;

/// <summary>What only the SQLite store has: a shared file, locks, permissions, several processes.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private const string ChildDbVariable = "AGENTSCRIPT_TEST_CHILD_DB";
    private const string ChildTagVariable = "AGENTSCRIPT_TEST_CHILD_TAG";
    private const int ChildBatches = 20;
    private const int ChildBatchSize = 500;

    private readonly TempDirectory _dir = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => Path.Combine(_dir.Path, "store", "agentlog.db");

    public void Dispose() => _dir.Dispose();

    private static List<StoreWrite> Events(StoreTestData data, string executionId, string tag, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (StoreWrite)new EventWrite(data.Event(executionId, $"{tag} event {i} quasar")))];

    private static async Task<long> CountAsync(IAgentLogStore store, string sql, string? param = null)
    {
        var result = await store.QueryAsync(sql, param is null ? null : new Dictionary<string, object?> { ["p"] = param }, cancellationToken: Ct);
        return Convert.ToInt64(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Initialize_creates_folders_schema_and_wal()
    {
        await using var store = new SqliteLogStore(DbPath);
        var info = await store.InitializeAsync(Ct);
        Assert.True(info.Created);
        Assert.Equal("sqlite", info.Kind);
        Assert.Equal(DbPath, info.Location);
        Assert.Equal(1, info.SchemaVersion);
        Assert.Equal(["log_events", "script_runs", "agent_learnings", "log_relations"], info.Counts.Keys);
        Assert.True(File.Exists(DbPath));
        var mode = await store.QueryAsync("PRAGMA journal_mode", cancellationToken: Ct);
        Assert.Equal("wal", mode.Rows[0][0]);
        var version = await store.QueryAsync("PRAGMA user_version", cancellationToken: Ct);
        Assert.Equal(1L, version.Rows[0][0]);
        var indexes = await store.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'", cancellationToken: Ct);
        Assert.Contains("ix_log_events_execution_time", indexes.Rows.Select(r => r[0]));
        Assert.Contains("ix_log_events_execution_category", indexes.Rows.Select(r => r[0]));
        Assert.DoesNotContain("ix_log_events_level_time", indexes.Rows.Select(r => r[0]));
        Assert.Contains("ix_script_runs_script_start", indexes.Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Two_stores_initialise_the_same_new_file_at_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteLogStore(DbPath)).ToList();
        try
        {
            var infos = await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));
            Assert.Single(infos, i => i.Created);
            Assert.All(infos, i => Assert.Equal(1, i.SchemaVersion));
        }
        finally
        {
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Concurrent_writers_on_one_file_lose_nothing()
    {
        var data = new StoreTestData();
        var stores = Enumerable.Range(0, 3).Select(_ => new SqliteLogStore(DbPath)).ToList();
        try
        {
            var ids = stores.Select(_ => data.NewExecutionId()).ToList();
            await Task.WhenAll(stores.Select((store, n) => Task.Run(async () =>
            {
                await store.WriteAsync([new RunStartWrite(data.Run(ids[n]))], Ct);
                for (var b = 0; b < 10; b++)
                {
                    await store.WriteAsync(Events(data, ids[n], $"w{n}b{b}", 300), Ct);
                }
            }, Ct)));
            var reader = stores[0];
            Assert.Equal(9000, await CountAsync(reader, "SELECT count(*) FROM log_events"));
            Assert.Equal(9000, await CountAsync(reader, "SELECT count(DISTINCT event_id) FROM log_events"));
            Assert.Equal(3, await CountAsync(reader, "SELECT count(*) FROM script_runs"));
            foreach (var id in ids)
            {
                Assert.Equal(3000, await CountAsync(reader, "SELECT count(*) FROM log_events WHERE execution_id = $p", id));
            }
            // Every event is in the search index exactly once.
            Assert.Equal(9000, await CountAsync(reader, "SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH 'quasar'"));
        }
        finally
        {
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_processes_write_the_same_file_at_once()
    {
        if (Environment.GetEnvironmentVariable(ChildDbVariable) is not null)
        {
            Assert.Skip("Already a child process.");
        }
        await using (var init = new SqliteLogStore(DbPath))
        {
            await init.InitializeAsync(Ct);
        }
        var assembly = typeof(SqliteStoreTests).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var children = new List<Process>();
        foreach (var tag in new[] { "alpha", "beta" })
        {
            var start = new ProcessStartInfo(dotnet)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("-method");
            start.ArgumentList.Add($"{typeof(SqliteStoreTests).FullName}.{nameof(Child_process_writer)}");
            start.Environment[ChildDbVariable] = DbPath;
            start.Environment[ChildTagVariable] = tag;
            children.Add(Process.Start(start)!);
        }
        foreach (var child in children)
        {
            var output = child.StandardOutput.ReadToEndAsync(Ct);
            var errors = child.StandardError.ReadToEndAsync(Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            await child.WaitForExitAsync(timeout.Token);
            Assert.True(child.ExitCode == 0, $"child exited {child.ExitCode}: {await output} {await errors}");
            var text = await output;
            Assert.Contains("Total: 1,", text);
            Assert.Contains("Failed: 0, Skipped: 0", text);
            child.Dispose();
        }
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        foreach (var tag in new[] { "alpha", "beta" })
        {
            Assert.Equal(ChildBatches * ChildBatchSize, await CountAsync(store, "SELECT count(*) FROM log_events WHERE message LIKE $p", tag + " %"));
            var hits = await store.SearchAsync(new SearchQuery { Text = tag, Limit = 1000 }, Ct);
            Assert.Equal(1000, hits.Count);
        }
        Assert.Equal(2, await CountAsync(store, "SELECT count(*) FROM script_runs WHERE status = 'success'"));
    }

    /// <summary>The child side of <see cref="Two_processes_write_the_same_file_at_once"/>.</summary>
    [Fact]
    public async Task Child_process_writer()
    {
        if (Environment.GetEnvironmentVariable(ChildDbVariable) is not { } path || Environment.GetEnvironmentVariable(ChildTagVariable) is not { } tag)
        {
            Assert.Skip("Runs only as a child process started by Two_processes_write_the_same_file_at_once.");
            return;
        }
        var data = new StoreTestData(tag);
        var id = data.NewExecutionId();
        await using var store = new SqliteLogStore(path);
        await store.InitializeAsync(Ct);
        await store.WriteAsync([new RunStartWrite(data.Run(id))], Ct);
        for (var b = 0; b < ChildBatches; b++)
        {
            await store.WriteAsync(Events(data, id, tag, ChildBatchSize), Ct);
        }
        await store.WriteAsync([new RunEndWrite(data.End(id, RunStatus.Success))], Ct);
    }

    [Fact]
    public async Task A_locked_file_reports_the_store_unavailable_and_recovers()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        await store.InitializeAsync(Ct);
        var batch = Events(data, data.NewExecutionId(), "locked", 5);
        using (var holder = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            holder.Open();
            using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();

            var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync(batch, Ct));
            Assert.Contains(DbPath, e.Message);
            Assert.Contains("locked", e.Message);
            Assert.Contains("Fix:", e.Message);

            using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        Assert.Empty((await store.WriteAsync(batch, Ct)).Rejected);
        Assert.Equal(5, await CountAsync(store, "SELECT count(*) FROM log_events"));
    }

    [Fact]
    public async Task An_unusable_path_reports_the_store_unavailable_with_the_path()
    {
        var file = Path.Combine(_dir.Path, "plain-file");
        await File.WriteAllTextAsync(file, "not a folder", Ct);
        var path = Path.Combine(file, "sub", "agentlog.db");
        await using var store = new SqliteLogStore(path);
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(Ct));
        Assert.Contains(path, e.Message);
        Assert.Contains("AGENTSCRIPT_STORE", e.Message);
        var write = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync([new EventWrite(new StoreTestData().Event(null, "x"))], Ct));
        Assert.Contains(path, write.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_clearly()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        await File.WriteAllTextAsync(DbPath, new string('x', 4096), Ct);
        await using var store = new SqliteLogStore(DbPath);
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(Ct));
        Assert.Contains("not a usable SQLite database", e.Message);
        Assert.Contains(DbPath, e.Message);
    }

    [Fact]
    public async Task A_newer_schema_is_refused_with_the_fix()
    {
        await using (var store = new SqliteLogStore(DbPath))
        {
            await store.InitializeAsync(Ct);
            await store.QueryAsync("PRAGMA user_version = 99", allowWrites: true, cancellationToken: Ct);
        }
        await using var newer = new SqliteLogStore(DbPath);
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => newer.InitializeAsync(Ct));
        Assert.Contains("99", e.Message);
        Assert.Contains("update AgentScript", e.Message);
    }

    [Fact]
    public async Task Database_files_are_readable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not apply on Windows.");
            return;
        }
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        await store.WriteAsync(Events(data, data.NewExecutionId(), "perm", 10), Ct);
        var files = new[] { DbPath, DbPath + "-wal", DbPath + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(DbPath + "-wal", files);
        foreach (var f in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
        }
        var dirMode = File.GetUnixFileMode(Path.GetDirectoryName(DbPath)!);
        Assert.Equal(UnixFileMode.None, dirMode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite));
    }

    [Fact]
    public async Task Raw_query_parameters_with_any_prefix_and_write_mode()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        var id = data.NewExecutionId();
        await store.WriteAsync(Events(data, id, "raw", 3), Ct);
        foreach (var sql in new[] { "SELECT count(*) FROM log_events WHERE execution_id = @p", "SELECT count(*) FROM log_events WHERE execution_id = $p", "SELECT count(*) FROM log_events WHERE execution_id = :p" })
        {
            Assert.Equal(3, await CountAsync(store, sql, id));
        }
        var prefixed = await store.QueryAsync("SELECT count(*) FROM log_events WHERE execution_id = @p", new Dictionary<string, object?> { ["@p"] = id }, cancellationToken: Ct);
        Assert.Equal(3L, prefixed.Rows[0][0]);
        var missing = await Assert.ThrowsAsync<StoreQueryException>(() => store.QueryAsync("SELECT * FROM log_events WHERE level = @level", cancellationToken: Ct));
        Assert.True(missing.Message.Contains("@level", StringComparison.Ordinal), missing.Message);
        var unknown = await Assert.ThrowsAsync<StoreQueryException>(() => store.QueryAsync("SELECT nope FROM log_events", cancellationToken: Ct));
        Assert.Contains("no such column: nope", unknown.Message);
        // A read-only query cannot switch the protection off.
        await Assert.ThrowsAsync<StoreQueryException>(() => store.QueryAsync("PRAGMA query_only = 0; DELETE FROM log_events", cancellationToken: Ct));
        Assert.Equal(3, await CountAsync(store, "SELECT count(*) FROM log_events"));

        var deleted = await store.QueryAsync("DELETE FROM log_events WHERE execution_id = @p", new Dictionary<string, object?> { ["p"] = id }, allowWrites: true, cancellationToken: Ct);
        Assert.Equal(3, deleted.RowsAffected);
        Assert.Equal(0, await CountAsync(store, "SELECT count(*) FROM log_events"));
    }

    [Fact]
    public async Task Big_prune_optimizes_and_search_stays_in_step()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { OptimizeAfterPrunedEvents = 100 });
        await store.InitializeAsync(Ct);
        var gone = data.NewExecutionId();
        var kept = data.NewExecutionId();
        await store.WriteAsync([new RunStartWrite(data.Run(gone)), .. Events(data, gone, "gone", 500), new RunStartWrite(data.Run(kept)), .. Events(data, kept, "kept", 10)], Ct);
        var result = await store.PruneAsync(new PruneRequest { ExecutionIds = [gone] }, Ct);
        Assert.Equal(500, result.Events);
        Assert.Equal(10, (await store.SearchAsync(new SearchQuery { Text = "quasar", Limit = 1000 }, Ct)).Count);
        Assert.Equal(10, await CountAsync(store, "SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH 'quasar'"));
        Assert.Equal(0, await CountAsync(store, "SELECT count(*) FROM log_events_fts WHERE log_events_fts MATCH 'gone'"));
    }

    [Fact]
    public async Task A_damaged_schema_keeps_the_batch_for_retry_and_initialise_repairs_it()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        await store.WriteAsync(Events(data, data.NewExecutionId(), "before", 2), Ct);
        await store.QueryAsync("DROP TABLE log_events_fts", allowWrites: true, cancellationToken: Ct);
        var batch = Events(data, data.NewExecutionId(), "repair", 3);
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync(batch, Ct));
        Assert.Contains("log_events_fts", e.Message);
        Assert.Contains("agentlog doctor", e.Message);
        Assert.Equal(2, await CountAsync(store, "SELECT count(*) FROM log_events"));

        var info = await store.InitializeAsync(Ct);
        Assert.False(info.Created);
        Assert.Empty((await store.WriteAsync(batch, Ct)).Rejected);
        Assert.Equal(3, (await store.SearchAsync(new SearchQuery { Text = "repair" }, Ct)).Count);
        Assert.Equal(2, (await store.SearchAsync(new SearchQuery { Text = "before" }, Ct)).Count); // refilled
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(5, false)]
    public async Task Search_candidates_rank_only_the_newest_matches_and_say_so(int? candidates, bool oldBestMatchFound)
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { SearchCandidates = candidates });
        await store.InitializeAsync(Ct);
        var id = data.NewExecutionId();
        var writes = new List<StoreWrite> { new EventWrite(data.Event(id, "alpha beta gamma oldest")) };
        writes.AddRange(Enumerable.Range(0, 10).Select(i => (StoreWrite)new EventWrite(data.Event(id, $"alpha newer {i}", data.T0.AddSeconds(i + 1)))));
        writes.AddRange(Enumerable.Range(0, 30).Select(i => (StoreWrite)new EventWrite(data.Event(id, $"filler {i}", data.T0.AddSeconds(20 + i)))));
        await store.WriteAsync(writes, Ct);

        var hits = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "alpha beta gamma", Limit = 3 }, Ct));
        Assert.Equal(3, hits.Count);
        Assert.Equal(oldBestMatchFound, hits[0].Event.Message == "alpha beta gamma oldest");
        Assert.Equal(oldBestMatchFound, hits.Any(h => h.Event.Message.EndsWith("oldest", StringComparison.Ordinal)));
        // The results say whether older matches were left unranked, and from when the ranked ones are.
        Assert.Equal(oldBestMatchFound, hits.Exhaustive);
        Assert.Equal(oldBestMatchFound ? 11 : 5, hits.MatchesRanked);
        Assert.Equal(oldBestMatchFound ? null : data.T0.AddSeconds(6), hits.SearchedSince); // "alpha newer 5", the 5th newest match
        // Asking for the exhaustive ranking finds the old best match whatever the option.
        var all = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "alpha beta gamma", Limit = 3, Exhaustive = true }, Ct));
        Assert.Equal("alpha beta gamma oldest", all[0].Event.Message);
        Assert.True(all.Exhaustive);
        Assert.Equal(11, all.MatchesRanked);
        // Paging past the candidate count still returns what was asked for.
        Assert.Equal(11, (await store.SearchAsync(new SearchQuery { Text = "alpha", Limit = 20 }, Ct)).Count);
    }

    [Fact]
    public async Task Newest_match_ranking_equals_the_exhaustive_one_when_the_best_hits_are_recent_and_finds_old_rare_words()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath, new SqliteLogStoreOptions { SearchCandidates = 20 });
        await store.InitializeAsync(Ct);
        var id = data.NewExecutionId();
        var writes = new List<StoreWrite>
        {
            new EventWrite(data.Event(id, "zebra crossing seen once long ago", data.T0)),
            new EventWrite(data.Event(id, "an old error that matters", data.T0.AddSeconds(1), LogLevels.Error)),
        };
        // 100 matches of "omega"; the 5 best (short, repeated word) are among the newest 20.
        for (var i = 0; i < 100; i++)
        {
            var text = i >= 90 && i % 2 == 0 ? $"omega omega {i}" : $"omega appears once in this longer message number {i} of the run";
            writes.Add(new EventWrite(data.Event(id, text, data.T0.AddSeconds(10 + i))));
        }
        await store.WriteAsync(writes, Ct);

        var recent = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "omega", Limit = 5 }, Ct));
        var all = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "omega", Limit = 5, Exhaustive = true }, Ct));
        Assert.False(recent.Exhaustive);
        Assert.Equal(20, recent.MatchesRanked);
        Assert.True(all.Exhaustive);
        Assert.Equal(100, all.MatchesRanked);
        Assert.Equal(all.Select(h => h.Event.EventId), recent.Select(h => h.Event.EventId));
        Assert.Equal(all.Select(h => h.Score), recent.Select(h => h.Score)); // bm25 statistics are global either way
        Assert.All(recent, h => Assert.StartsWith("omega omega", h.Event.Message));

        // A word whose only match is older than all the others is still found, and the ranking was complete.
        var zebra = Assert.IsType<SearchResults>(await store.SearchAsync(new SearchQuery { Text = "zebra" }, Ct));
        Assert.Equal("zebra crossing seen once long ago", Assert.Single(zebra).Event.Message);
        Assert.True(zebra.Exhaustive);
        // The candidate budget counts matches that pass the filters: 100 newer INFO matches do not hide the old error.
        var error = await store.SearchAsync(new SearchQuery { Text = "omega old error", Level = "error" }, Ct);
        Assert.Equal("an old error that matters", Assert.Single(error).Event.Message);
    }

    [Fact]
    public async Task Summary_counts_stored_events_of_a_running_run_and_uses_an_ended_runs_own_counts_only_when_they_add_up()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        var id = data.NewExecutionId();
        var t = data.T0;
        await store.WriteAsync(
        [
            new RunStartWrite(data.Run(id, pid: Environment.ProcessId)),
            new EventWrite(data.Event(id, "a", t.AddSeconds(1))),
            new EventWrite(data.Event(id, "b", t.AddSeconds(2), LogLevels.Error)),
            new EventWrite(data.Event(id, "c", t.AddSeconds(3), LogLevels.Error, category: "custom")),
        ], Ct);
        var running = await store.GetExecutionSummaryAsync(id, Ct);
        Assert.NotNull(running);
        Assert.Equal(RunStatus.Running, running.Run.Status);
        Assert.Equal(3, running.EventCount);
        Assert.Equal(2, running.CountsByLevel["ERROR"]);
        Assert.Equal(["b", "c"], running.Errors.Select(e => e.Message)); // errors of every category, in time order

        // Ended with counts that do not add up to its message count: counted from the store.
        await store.WriteAsync([new RunEndWrite(data.End(id, RunStatus.Success) with { MessagesLogged = 7, CountsByLevel = new Dictionary<string, long> { ["INFO"] = 1 } })], Ct);
        var odd = await store.GetExecutionSummaryAsync(id, Ct);
        Assert.Equal(3, odd!.EventCount);
        Assert.Equal(1, odd.CountsByLevel["INFO"]);
        Assert.Equal(2, odd.CountsByLevel["ERROR"]);
        Assert.Equal(t.AddSeconds(1), odd.FirstEvent);
        Assert.Equal(t.AddSeconds(3), odd.LastEvent);

        // Ended with consistent counts (what a run records at its end): those are reported.
        var other = data.NewExecutionId();
        await store.WriteAsync(
        [
            new RunStartWrite(data.Run(other)),
            new EventWrite(data.Event(other, "x", t.AddSeconds(1))),
            new RunEndWrite(data.End(other, RunStatus.Success) with { MessagesLogged = 4, CountsByLevel = new Dictionary<string, long> { ["INFO"] = 3, ["DEBUG"] = 1 } }),
        ], Ct);
        var ended = await store.GetExecutionSummaryAsync(other, Ct);
        Assert.Equal(4, ended!.EventCount);
        Assert.Equal(1, ended.CountsByLevel["DEBUG"]);
        Assert.Equal(t.AddSeconds(1), ended.FirstEvent);
    }

    [Fact]
    public async Task Initialize_reports_exact_counts_kept_in_step_by_writes_prune_and_raw_writes()
    {
        var data = new StoreTestData();
        await using var store = new SqliteLogStore(DbPath);
        await store.InitializeAsync(Ct);
        var a = data.NewExecutionId();
        var b = data.NewExecutionId();
        List<StoreWrite> batch = [new RunStartWrite(data.Run(a)), .. Events(data, a, "a", 40), new RunStartWrite(data.Run(b)), .. Events(data, b, "b", 10)];
        await store.WriteAsync(batch, Ct);
        await store.WriteAsync(batch, Ct); // duplicates are not counted
        await store.WriteAsync([new LearningWrite(data.Learning(a, "x", 2.0)), .. Events(data, a, "more", 5)], Ct); // with a rejected item

        async Task<long> StoredEventCount() { await using var other = new SqliteLogStore(DbPath); return (await other.InitializeAsync(Ct)).Counts["log_events"]; }
        Assert.Equal(55, await StoredEventCount());
        Assert.Equal(55, await CountAsync(store, "SELECT count(*) FROM log_events"));
        await store.PruneAsync(new PruneRequest { ExecutionIds = [b] }, Ct);
        Assert.Equal(45, await StoredEventCount());
        await store.QueryAsync("DELETE FROM log_events WHERE message LIKE 'more %'", allowWrites: true, cancellationToken: Ct);
        Assert.Equal(40, await StoredEventCount());
        var info = await store.InitializeAsync(Ct);
        Assert.Equal(1, info.Counts["script_runs"]);
        Assert.Equal(0, info.Counts["agent_learnings"]);
    }
}
