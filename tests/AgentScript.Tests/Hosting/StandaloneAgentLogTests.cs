// Job: AgentLog without a host — the standalone runtime set by AgentLog.Configure — records runs, spans and answers queries.
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Tracing;

namespace AgentScript.Tests.Hosting;

/// <summary>
/// <see cref="AgentLog.Configure"/> sets the process's one standalone runtime, so these tests cannot overlap each
/// other (host runs are unaffected: they use their own runtime).
/// </summary>
[Collection(nameof(StandaloneAgentLogCollection))]
public sealed class StandaloneAgentLogTests
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

            var latest = await AgentLog.GetLatestResponseAsync("facade_test", cancellationToken: Ct);
            Assert.NotNull(latest);
            Assert.Equal(1, JsonDocument.Parse(latest.ResponseJson).RootElement.GetProperty("fixedRows").GetInt32());

            var errors = await AgentLog.GetErrorsAsync(run.ExecutionId, cancellationToken: Ct);
            var error = Assert.Single(errors);
            Assert.Equal("bad walrus row", error.Error.Exception?.Message);

            var learnings = await AgentLog.GetLearningsAsync(new LearningQuery { ExecutionId = run.ExecutionId }, Ct);
            Assert.Equal(learning.LearningId, Assert.Single(learnings).LearningId);

            var graph = await AgentLog.GetExecutionGraphAsync(run.ExecutionId, Ct);
            Assert.NotNull(graph);
            Assert.Contains(graph.Edges, e => e.Type == RelationTypes.FollowedBy);

            var raw = await AgentLog.QueryAsync("SELECT count(*) AS n FROM script_runs WHERE execution_id = $id", new Dictionary<string, object?> { ["$id"] = run.ExecutionId }, cancellationToken: Ct);
            Assert.Equal(1L, Convert.ToInt64(raw.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));

            var dry = await AgentLog.PruneAsync(new PruneRequest { ExecutionIds = [run.ExecutionId], DryRun = true }, Ct);
            Assert.True(dry.Events > 0);
            Assert.Equal(1, dry.Runs);
        }
        finally
        {
            await AgentLog.CloseAndFlushAsync();
        }
    }

    [Fact]
    public async Task Spans_of_a_run_started_without_the_host_reach_its_store()
    {
        await using var env = new HostTestEnvironment();
        AgentLog.Configure(env.Options);
        try
        {
            var run = AgentLog.StartRun("span_test");
            using (var span = TraceSpan.Start("Spans.Outer"))
            {
                run.Logger.Information("inside the span");
                span.Complete();
            }
            AgentLog.EndRun();

            var spans = await AgentLog.SearchAsync("Spans.Outer", executionId: run.ExecutionId, cancellationToken: Ct);
            Assert.Contains(spans, h => h.Event.Category == LogCategories.SpanStart);
            Assert.Contains(spans, h => h.Event.Category == LogCategories.SpanEnd);
            var inside = Assert.Single(await AgentLog.SearchAsync("inside the span", executionId: run.ExecutionId, cancellationToken: Ct),
                h => h.Event.Message == "inside the span");
            Assert.Equal(spans.Single(h => h.Event.Category == LogCategories.SpanStart).Event.SpanId, inside.Event.SpanId);
        }
        finally
        {
            await AgentLog.CloseAndFlushAsync();
        }
    }
}

/// <summary>Tests that set <see cref="AgentLog.Configure"/>'s process-wide standalone runtime run alone.</summary>
[CollectionDefinition(nameof(StandaloneAgentLogCollection), DisableParallelization = true)]
public sealed class StandaloneAgentLogCollection;
