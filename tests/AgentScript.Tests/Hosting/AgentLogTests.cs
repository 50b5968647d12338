using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Tests.Hosting;

// AgentLog is static: share the collection of the host tests so they never overlap.
[Collection(nameof(ScriptHostCollection))]
public sealed class AgentLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_facade_records_a_run_outside_the_host_and_answers_every_query()
    {
        await using var env = new HostTestEnvironment();
        AgentLog.Configure(env.Options);
        try
        {
            var run = AgentLog.StartRun("facade_test", "debug", new { args = new[] { "x" }, api_key = "sk-1" });
            Assert.Same(run, AgentLog.CurrentRun);
            run.Logger.Information("Parsing the walrus ledger");
            run.Logger.Error(new FormatException("bad walrus row"), "Row {Row} failed", 3);
            run.Logger.Information("Fixed the walrus row by trimming");
            AgentLog.Progress("parsing", 75, new { rows = 4 });
            var learning = AgentLog.LogLearning("Walrus ledgers have trailing spaces; trim before parsing", "Parse", "row 3", 0.95);
            AgentLog.LogFinalResponse(new { rows = 4, fixedRows = 1 });
            var relation = AgentLog.Relate($"script_runs/{run.ExecutionId}", $"agent_learnings/{learning.LearningId}", "related to",
                "The learning explains why this run needed a fix for row 3 of the walrus ledger.", 0.9);
            Assert.Equal("RELATED_TO", relation.Type);
            Assert.True(AgentLog.EndRun());
            Assert.Null(AgentLog.CurrentRun);
            Assert.False(AgentLog.EndRun(run: run));

            var hits = await AgentLog.SearchAsync("walrus ledger", cancellationToken: Ct);
            Assert.Contains(hits, h => h.Event.ExecutionId == run.ExecutionId && h.Event.Message == "Parsing the walrus ledger");

            var summary = await AgentLog.GetExecutionSummaryAsync(run.ExecutionId, Ct);
            Assert.NotNull(summary);
            Assert.Equal(RunStatus.Success, summary.Run.Status);
            Assert.Equal("debug", summary.Run.Mode);
            Assert.Equal(1, summary.CountsByLevel[LogLevels.Error]);
            Assert.Equal(summary.EventCount, summary.Run.MessagesLogged);
            Assert.Contains("***", summary.Run.MetadataJson);
            Assert.DoesNotContain("sk-1", summary.Run.MetadataJson);
            Assert.Equal("parsing", summary.Run.Progress?.Stage);

            var latest = AgentLog.GetLatestResponse("facade_test");
            Assert.NotNull(latest);
            Assert.Equal(1, JsonDocument.Parse(latest.ResponseJson).RootElement.GetProperty("fixedRows").GetInt32());

            var errors = await AgentLog.GetErrorsAsync(run.ExecutionId, cancellationToken: Ct);
            var error = Assert.Single(errors);
            Assert.Equal("bad walrus row", error.Error.Exception?.Message);

            var learnings = AgentLog.GetLearnings(new LearningQuery { ExecutionId = run.ExecutionId });
            Assert.Equal(learning.LearningId, Assert.Single(learnings).LearningId);

            var graph = AgentLog.GetExecutionGraph(run.ExecutionId);
            Assert.NotNull(graph);
            Assert.Contains(graph.Edges, e => e.Type == RelationTypes.FollowedBy);

            var raw = AgentLog.Query("SELECT count(*) AS n FROM script_runs WHERE execution_id = $id", new Dictionary<string, object?> { ["$id"] = run.ExecutionId });
            Assert.Equal(1L, Convert.ToInt64(raw.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));

            var dry = AgentLog.Prune(new PruneRequest { ExecutionIds = [run.ExecutionId], DryRun = true });
            Assert.True(dry.Events > 0);
            Assert.Equal(1, dry.Runs);
        }
        finally
        {
            await AgentLog.CloseAndFlushAsync();
        }
    }

    [Fact]
    public void Relate_requires_a_rationale_and_handles()
    {
        var tooShort = Assert.Throws<ArgumentException>(() => AgentLog.Relate("script_runs/a", "script_runs/b", "CAUSED_BY", "because"));
        Assert.Contains("at least 50 characters", tooShort.Message);
        var rationale = new string('r', 60);
        var badHandle = Assert.Throws<ArgumentException>(() => AgentLog.Relate("run-a", "script_runs/b", "CAUSED_BY", rationale));
        Assert.Contains("log_events/<event_id>", badHandle.Message);
    }

    [Fact]
    public void Progress_outside_a_run_explains_what_to_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AgentLog.Progress("x", 1));
        Assert.Contains("StartRun", e.Message);
    }

    [Fact]
    public async Task An_unusable_database_file_does_not_stop_the_script_and_its_writes_are_buffered()
    {
        await using var env = new HostTestEnvironment();
        // A folder where the database file should be: SQLite cannot open it.
        var notAFile = Path.Combine(env.Root, "db-is-a-folder");
        Directory.CreateDirectory(notAFile);
        var options = env.HostOptions() with { Options = env.Options with { SqlitePath = notAFile } };
        var manifest = new ScriptManifest("unusable_db", [new ScriptEntry("working", null, _ => ValueTask.FromResult(EntryResult.From("still ran")))]);

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, options));

        Assert.Equal("\"still ran\"\n", env.Stdout.ToString());
        var stderr = env.Stderr.ToString();
        Assert.Contains("unavailable", stderr);
        Assert.Contains(notAFile, stderr);
        var lines = Directory.GetFiles(env.Options.BufferDirectory, "buffer-*.jsonl").SelectMany(File.ReadAllLines).ToList();
        Assert.Contains(lines, l => l.Contains("\"$w\":\"run_start\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"$w\":\"run_end\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("still ran", StringComparison.Ordinal));
    }
}
