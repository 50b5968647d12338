using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Tests.Sink;
using Serilog;

namespace AgentScript.Tests.Hosting;

// Each host run has its own runtime (pipeline, logger, store), so these tests run in parallel; only the test of
// Serilog's static Log (StaticLoggerTests) needs the process to itself.
public sealed class ScriptHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ScriptManifest Manifest(params ScriptEntry[] entries) => new("host_test", entries, "A script for host tests.");

    private static ScriptEntry Entry(string mode, Func<ScriptContext, ValueTask<EntryResult>> invoke, string? description = null) =>
        new(mode, description ?? $"The {mode} entry.", invoke);

    private static async Task<ScriptRun> SingleRunAsync(HostTestEnvironment env)
    {
        await using var store = await env.OpenStoreAsync();
        var runs = await store.ListRunsAsync(new RunQuery { ScriptName = "host_test" }, Ct);
        return Assert.Single(runs);
    }

    private static async Task<List<LogEventRecord>> EventsAsync(HostTestEnvironment env, string? executionId = null)
    {
        await using var store = await env.OpenStoreAsync();
        var list = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId }, Ct))
        {
            list.Add(e.Event);
        }
        return list;
    }

    [Fact]
    public async Task Success_prints_exactly_the_json_and_stores_the_run_and_final_response()
    {
        await using var env = new HostTestEnvironment();
        string? seenId = null;
        var manifest = Manifest(Entry("working", ctx =>
        {
            seenId = ctx.ExecutionId;
            ctx.Logger.Information("Working on {Item}", "alpha");
            AgentLog.Progress("halfway", 50, new { done = 1 });
            AgentLog.LogLearning("Alpha items need no retries", "Work");
            return ValueTask.FromResult(EntryResult.From(new { Answer = 42, Items = new[] { "alpha" } }));
        }));

        var exit = await ScriptHost.RunAsync([], manifest, env.HostOptions());

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("{\"Answer\":42,\"Items\":[\"alpha\"]}\n", env.Stdout.ToString());
        Assert.Contains("Working on alpha", env.Stderr.ToString());

        var run = await SingleRunAsync(env);
        Assert.Equal(seenId, run.ExecutionId);
        Assert.Matches(@"^host_test_\d{8}_\d{6}_[0-9a-f]{8}$", run.ExecutionId);
        Assert.Equal(RunStatus.Success, run.Status);
        Assert.Equal("working", run.Mode);
        Assert.Equal(Environment.ProcessId, run.Pid);
        Assert.NotNull(run.EndTime);
        Assert.True(run.DurationMs >= 0);
        Assert.Equal("{\"Answer\":42,\"Items\":[\"alpha\"]}", run.FinalResponseJson);
        Assert.Equal("halfway", run.Progress?.Stage);
        Assert.Equal(50, run.Progress?.Percent);

        var events = await EventsAsync(env, run.ExecutionId);
        Assert.Equal(events.Count, run.MessagesLogged);
        Assert.Equal(events.Count, run.CountsByLevel.Values.Sum());
        Assert.All(events, e => Assert.Equal("host_test", e.ScriptName));
        Assert.Contains(events, e => e.Category == LogCategories.FinalResponse && e.PayloadJson == run.FinalResponseJson);
        Assert.Contains(events, e => e.Category == LogCategories.Progress);
        Assert.Contains(events, e => e.Category == LogCategories.Learning);
        Assert.Contains(events, e => e.Category == LogCategories.RunStart);
        Assert.Contains(events, e => e.Category == LogCategories.RunEnd);
    }

    [Fact]
    public async Task Two_hosts_at_once_keep_their_spans_and_learnings_in_their_own_store()
    {
        await using var envA = new HostTestEnvironment();
        await using var envB = new HostTestEnvironment();
        // Both entries are inside their span at the same time, so neither host can borrow the other's logger.
        var bothInside = new Barrier(2);
        ScriptManifest Traced(string name) => new(name, [new ScriptEntry("working", null, async ctx =>
        {
            await Task.Yield();
            using (var span = AgentScript.Tracing.TraceSpan.Start($"{name}.Work"))
            {
                bothInside.SignalAndWait(TimeSpan.FromSeconds(30), ctx.CancellationToken);
                AgentLog.LogLearning($"learned by {name}");
                span.Complete();
            }
            return EntryResult.None;
        })]);

        var runs = await Task.WhenAll(
            Task.Run(() => ScriptHost.RunAsync([], Traced("host_a"), envA.HostOptions()), Ct),
            Task.Run(() => ScriptHost.RunAsync([], Traced("host_b"), envB.HostOptions()), Ct));

        Assert.Equal([ExitCodes.Success, ExitCodes.Success], runs);
        foreach (var (env, mine, other) in new[] { (envA, "host_a", "host_b"), (envB, "host_b", "host_a") })
        {
            await using var store = await env.OpenStoreAsync();
            var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), Ct));
            Assert.Equal(mine, run.ScriptName);
            var events = new List<LogEventRecord>();
            await foreach (var e in store.StreamEventsAsync(new EventFilter(), Ct))
            {
                events.Add(e.Event);
            }
            var spanStart = Assert.Single(events, e => e.Category == LogCategories.SpanStart);
            Assert.Equal($"{mine}.Work", spanStart.FunctionName);
            Assert.Equal(run.ExecutionId, spanStart.ExecutionId);
            Assert.Single(events, e => e.Category == LogCategories.SpanEnd && e.ExecutionId == run.ExecutionId);
            Assert.DoesNotContain(events, e => e.Message.Contains(other, StringComparison.Ordinal));
            var learning = Assert.Single(await store.GetLearningsAsync(new LearningQuery(), Ct));
            Assert.Equal($"learned by {mine}", learning.Learning);
        }
    }

    [Fact]
    public async Task An_exception_fails_the_run_with_exit_code_1_and_logs_the_error()
    {
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(Entry("working", _ => throw new InvalidOperationException("the widget broke")));

        Assert.Equal(ExitCodes.Failed, await ScriptHost.RunAsync([], manifest, env.HostOptions()));

        Assert.Equal("", env.Stdout.ToString());
        Assert.Contains("the widget broke", env.Stderr.ToString());
        var run = await SingleRunAsync(env);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, run.Error?.Type);
        Assert.Equal("the widget broke", run.Error?.Message);
        var error = Assert.Single(await EventsAsync(env, run.ExecutionId), e => e.Level == LogLevels.Error);
        Assert.Equal("the widget broke", error.Exception?.Message);
    }

    [Fact]
    public async Task Returning_false_fails_the_run()
    {
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(Entry("working", _ => ValueTask.FromResult(EntryResult.From(false))));

        Assert.Equal(ExitCodes.Failed, await ScriptHost.RunAsync([], manifest, env.HostOptions()));

        Assert.Equal("false\n", env.Stdout.ToString());
        var run = await SingleRunAsync(env);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("false", run.FinalResponseJson);
    }

    [Fact]
    public async Task Cancellation_ends_the_run_cancelled_with_exit_code_130()
    {
        await using var env = new HostTestEnvironment();
        using var cts = new CancellationTokenSource();
        var manifest = Manifest(Entry("working", async ctx =>
        {
            cts.Cancel();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            return EntryResult.None;
        }));

        Assert.Equal(ExitCodes.Cancelled, await ScriptHost.RunAsync([], manifest, env.HostOptions(cts.Token)));

        var run = await SingleRunAsync(env);
        Assert.Equal(RunStatus.Cancelled, run.Status);
    }

    [Fact]
    public async Task The_first_argument_picks_the_mode_and_the_rest_go_to_the_entry()
    {
        await using var env = new HostTestEnvironment();
        IReadOnlyList<string>? seen = null;
        var manifest = Manifest(
            Entry("working", _ => ValueTask.FromResult(EntryResult.From("working"))),
            Entry("debug", ctx =>
            {
                seen = ctx.Arguments;
                return ValueTask.FromResult(EntryResult.From(ctx.Mode));
            }));

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync(["debug", "a", "--flag"], manifest, env.HostOptions()));
        Assert.Equal("\"debug\"\n", env.Stdout.ToString());
        Assert.Equal(["a", "--flag"], seen);
        Assert.Equal("debug", (await SingleRunAsync(env)).Mode);
    }

    [Fact]
    public async Task An_unknown_mode_is_a_usage_error_naming_the_modes()
    {
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(Entry("working", _ => ValueTask.FromResult(EntryResult.None)), Entry("debug", _ => ValueTask.FromResult(EntryResult.None)));

        Assert.Equal(ExitCodes.Usage, await ScriptHost.RunAsync(["deploy"], manifest, env.HostOptions()));

        Assert.Equal("", env.Stdout.ToString());
        Assert.Contains("unknown mode 'deploy'", env.Stderr.ToString());
        Assert.Contains("working, debug", env.Stderr.ToString());
        Assert.False(File.Exists(env.DatabasePath));
    }

    [Fact]
    public async Task Help_lists_the_modes_with_their_descriptions()
    {
        var (help, storeCreated) = await HelpAsync("Verifies and returns the results.");

        Assert.Contains("working  Verifies and returns the results.", help);
        Assert.Contains("debug    Tries ideas.", help);
        Assert.Contains("A script for host tests.", help);
        Assert.False(storeCreated);
    }

    [Fact]
    public async Task Help_keeps_each_mode_on_one_line_whatever_its_description_holds()
    {
        var (help, _) = await HelpAsync("say \"hi\"\nnext line\t\u2028 end");

        var lines = help.Split('\n');
        Assert.Contains("  working  say \"hi\" next line end", lines);
        Assert.Contains("  debug    Tries ideas.", lines);
    }

    /// <summary>What <c>--help</c> prints for a script whose working mode has <paramref name="workingDescription"/>, and whether a store was created.</summary>
    private static async Task<(string Help, bool StoreCreated)> HelpAsync(string workingDescription)
    {
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(
            Entry("working", _ => ValueTask.FromResult(EntryResult.None), workingDescription),
            Entry("debug", _ => ValueTask.FromResult(EntryResult.None), "Tries ideas."));

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync(["--help"], manifest, env.HostOptions()));
        return (env.Stdout.ToString(), File.Exists(env.DatabasePath));
    }

    [Fact]
    public async Task Bad_configuration_is_a_usage_error_with_the_message()
    {
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(Entry("working", _ => ValueTask.FromResult(EntryResult.None)));
        var options = env.HostOptions() with
        {
            Options = null,
            ConfigurationDirectory = env.Root,
            Environment = new Dictionary<string, string?> { ["HOME"] = env.Root, ["LOG_BATCH_SIZE"] = "lots" },
        };

        Assert.Equal(ExitCodes.Usage, await ScriptHost.RunAsync([], manifest, options));

        Assert.Contains("configuration error: Invalid LOG_BATCH_SIZE 'lots'", env.Stderr.ToString());
    }

    [Fact]
    public async Task A_member_that_cannot_be_serialised_becomes_a_placeholder_and_the_others_are_kept()
    {
        // The whole response used to be replaced by an error object: one throwing getter lost every other field.
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(Entry("working", _ => ValueTask.FromResult(EntryResult.From(new Exploding()))));

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, env.HostOptions()));

        var json = JsonDocument.Parse(env.Stdout.ToString()).RootElement;
        Assert.Equal("<unserialisable: getter threw InvalidOperationException>", json.GetProperty("Value").GetString());
        Assert.Equal("kept", json.GetProperty("Name").GetString());
        var run = await SingleRunAsync(env);
        Assert.Equal(env.Stdout.ToString().TrimEnd('\n'), run.FinalResponseJson);
    }

    private sealed class Exploding
    {
        public int Value => throw new InvalidOperationException("no value");
        public string Name => "kept";
    }

    [Fact]
    public async Task A_store_unavailable_at_start_still_runs_the_script_and_buffers_its_writes()
    {
        await using var env = new HostTestEnvironment();
        var failing = new FailingStore(new AgentScript.Storage.Sqlite.SqliteLogStore(env.DatabasePath)) { Down = true };
        var manifest = Manifest(Entry("working", ctx =>
        {
            ctx.Logger.Information("kept while the store is down");
            return ValueTask.FromResult(EntryResult.From(7));
        }));

        var exit = await ScriptHost.RunAsync([], manifest, env.HostOptions() with { Store = failing });

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("7\n", env.Stdout.ToString());
        Assert.Contains("unavailable", env.Stderr.ToString());
        Assert.NotEmpty(Directory.GetFiles(env.Options.BufferDirectory, "buffer-*.jsonl"));

        // The store comes back: the next pipeline replays the run.
        failing.Down = false;
        await using (var pipeline = new AgentScript.Sink.StoreWritePipeline(failing, AgentScript.Sink.WritePipelineOptions.From(env.Options)))
        {
            Assert.True(await pipeline.FlushAsync(Ct));
        }
        await failing.DisposeAsync();
        var run = await SingleRunAsync(env);
        Assert.Equal(RunStatus.Success, run.Status);
        Assert.Equal("7", run.FinalResponseJson);
        Assert.Contains(await EventsAsync(env, run.ExecutionId), e => e.Message == "kept while the store is down");
    }

    [Fact]
    public async Task Done_when_a_run_through_ScriptHost_is_found_by_search_summarised_and_its_final_response_returned()
    {
        await using var env = new HostTestEnvironment();
        var manifest = Manifest(Entry("working", ctx =>
        {
            ctx.Logger.Information("Fetched the quarterly zeppelin manifest with {Rows} rows", 12);
            ctx.Logger.Warning("One zeppelin row had no tail number");
            AgentLog.LogLearning("Zeppelin manifests sometimes omit tail numbers", "Fetch", confidence: 0.7);
            return ValueTask.FromResult(EntryResult.From(new { rows = 12, status = "verified" }));
        }));

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, env.HostOptions()));
        var stdout = env.Stdout.ToString();

        await using var store = await env.OpenStoreAsync();
        var hits = await store.SearchAsync(new SearchQuery { Text = "zeppelin manifest" }, Ct);
        Assert.NotEmpty(hits);
        var executionId = hits[0].Event.ExecutionId;
        Assert.NotNull(executionId);

        var summary = await store.GetExecutionSummaryAsync(executionId, Ct);
        Assert.NotNull(summary);
        Assert.Equal(RunStatus.Success, summary.Run.Status);
        Assert.Equal("host_test", summary.Run.ScriptName);
        Assert.Equal(1, summary.CountsByLevel[LogLevels.Warning]);
        Assert.Equal(summary.Run.MessagesLogged, summary.EventCount);
        Assert.Contains(summary.Learnings, l => l.Learning.Contains("tail numbers", StringComparison.Ordinal));

        var latest = await store.GetLatestResponseAsync("host_test", cancellationToken: Ct);
        Assert.NotNull(latest);
        Assert.Equal(executionId, latest.ExecutionId);
        Assert.Equal(stdout.TrimEnd('\n'), latest.ResponseJson);
        Assert.Equal(12, JsonDocument.Parse(latest.ResponseJson).RootElement.GetProperty("rows").GetInt32());
    }
}
