using AgentScript.Tests.Shared;
using System.Globalization;
using AgentScript.Configuration;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Hosting;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// Every way a real script process can end — normal exit, exception, <c>false</c>, SIGINT, SIGTERM, kill -9 — with
/// thousands of events still in flight: right status, every event stored (kill -9: a bounded tail at most).
/// </summary>
public sealed class ExitPathTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private string Db => Path.Combine(_dir.Path, "agentlog.db");
    private string BufferDir => Path.Combine(_dir.Path, "buffer");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private Dictionary<string, string> Env(string flushInterval = "2", string durability = "batched") => new()
    {
        ["LOG_FLUSH_INTERVAL"] = flushInterval,
        ["LOG_BUFFER_DIR"] = BufferDir,
        ["LOG_CONSOLE_LEVEL"] = "NONE",
        ["LOG_DURABILITY"] = durability,
    };

    private async Task<ScriptRun> SingleRunAsync()
    {
        await using var store = new SqliteLogStore(Db);
        await store.InitializeAsync(Ct);
        return Assert.Single(await store.ListRunsAsync(new RunQuery { ScriptName = "test_script", Limit = 10 }, Ct));
    }

    /// <summary>Replays whatever a dead process left in the buffer folder, as the next run (or agentlog flush) does.</summary>
    private async Task<long> ReplayLeftoversAsync()
    {
        await using var store = new SqliteLogStore(Db);
        await using var pipeline = new StoreWritePipeline(store, new WritePipelineOptions { BufferDirectory = BufferDir, FlushInterval = TimeSpan.FromMilliseconds(50) });
        Assert.True(await pipeline.FlushAsync(Ct));
        return pipeline.Counters.Replayed;
    }

    [Theory]
    [InlineData("ok", ExitCodes.Success, "success", 0)]
    [InlineData("throw", ExitCodes.Failed, "failed", 0)]
    [InlineData("false", ExitCodes.Failed, "failed", 0)]
    [InlineData("wait", ExitCodes.Cancelled, "cancelled", ScriptProcess.SIGINT)]
    [InlineData("wait", ExitCodes.Cancelled, "cancelled", ScriptProcess.SIGTERM)]
    public async Task Every_exit_path_ends_the_run_with_its_status_and_stores_every_event(string ending, int exitCode, string status, int signal)
    {
        if (signal == ScriptProcess.SIGINT && InheritedSignals.SigIntIgnored())
        {
            Assert.Skip(InheritedSignals.SigIntIgnoredReason);
        }
        const int n = 30_000;
        using var script = ScriptProcess.Start(_dir.Path, Db, Env(), "burst", n.ToString(CultureInfo.InvariantCulture), ending);
        if (signal != 0)
        {
            await script.WaitForStderrAsync("BURST_LOGGED", Timeout);
            script.Signal(signal);
        }
        Assert.Equal(exitCode, await script.WaitForExitAsync(Timeout));

        var run = await SingleRunAsync();
        Assert.Equal(status, run.Status.ToName());
        var seq = StoreRows.ExtraValuesInStoreOrder(Db, run.ExecutionId, "Seq").Where(s => s.Length > 0).ToList();
        Assert.Equal(Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)), seq);
        Assert.Equal((1L, 1L), StoreRows.Count(Db, "agent_learnings", "learning_id"));
        var events = StoreRows.Count(Db, "log_events", "event_id", $"execution_id = '{run.ExecutionId}'");
        Assert.Equal(events.Rows, events.DistinctIds);
        Assert.Equal(run.MessagesLogged, events.Rows);
        // Nothing left behind for a later replay: the process itself stored everything.
        Assert.Empty(Directory.Exists(BufferDir) ? Directory.GetFiles(BufferDir, "buffer-*.jsonl") : []);
    }

    [Theory]
    [InlineData("batched")]
    [InlineData("sync")]
    public async Task Kill_9_loses_at_most_the_unflushed_tail_sync_loses_nothing_and_the_run_is_abandoned(string durability)
    {
        using var script = ScriptProcess.Start(_dir.Path, Db, Env(durability: durability), "stream");
        // Let it run for a while (20,000 events at ~10,000/s), then kill it with no chance to flush.
        await script.WaitForStderrAsync("SEQ 20000", Timeout);
        script.Signal(ScriptProcess.SIGKILL);
        await script.WaitForExitAsync(Timeout);
        var lastSeen = script.Stderr.Split('\n').Where(l => l.StartsWith("SEQ ", StringComparison.Ordinal))
            .Select(l => int.Parse(l[4..], CultureInfo.InvariantCulture)).Max();

        var storedBeforeReplay = await CountStreamEventsAsync();
        var replayed = await ReplayLeftoversAsync();
        var run = await SingleRunAsync();
        Assert.Equal(RunStatus.Abandoned, run.Status);

        var seq = StoreRows.ExtraValuesInStoreOrder(Db, run.ExecutionId, "Seq").Where(s => s.Length > 0)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var distinct = seq.Distinct().Order().ToList();
        Assert.Equal(seq.Count, distinct.Count);
        // What is stored is a gap-free prefix of what was logged: only the tail can be missing.
        Assert.Equal(Enumerable.Range(0, distinct.Count), distinct);
        var missing = Math.Max(0, lastSeen + 1 - distinct.Count);
        if (durability == "sync")
        {
            // Every event was appended to the buffer file before the log call returned; kill -9 keeps the OS cache.
            Assert.True(distinct.Count >= lastSeen + 1, $"sync durability lost events: {distinct.Count} stored, {lastSeen + 1} logged");
        }
        else
        {
            // Structural bound: at most the memory queue, the batch being written (up to MaxBatchSize when catching
            // up) and the overflow lane's unflushed file buffer (64 KB: under 1,000 of these events).
            var defaults = new WritePipelineOptions { BufferDirectory = BufferDir };
            Assert.InRange(missing, 0, defaults.QueueCapacity + defaults.MaxBatchSize + 1_000);
        }
        Figures.Report($"kill -9 ({durability}): events logged (at least)", (lastSeen + 1).ToString(CultureInfo.InvariantCulture));
        Figures.Report($"kill -9 ({durability}): events missing after replay", $"{missing} (~{missing * 0.1:0} ms of logging at 10,000 events/s); stored before replay {storedBeforeReplay}, replayed from the buffer {replayed}");
    }

    private async Task<long> CountStreamEventsAsync()
    {
        if (!File.Exists(Db))
        {
            return 0;
        }
        await Task.Yield();
        return StoreRows.Count(Db, "log_events", "event_id").Rows;
    }
}
