using AgentScript.Cli.Tests.Support;
using AgentScript.Queries;

namespace AgentScript.Cli.Tests;

/// <summary>Commands that change the store: learn, relate, prune, query --write.</summary>
public sealed class WriteCommandTests
{
    [Fact]
    public async Task Learn_records_a_learning_that_learnings_then_finds()
    {
        await using var s = await SeededStore.CreateAsync();
        var j = (await s.RunAsync("learn", "Cache the token between calls to save 2 s per run", "--execution-id", s.Ok.ExecutionId,
            "--function", "Login", "--context", "auth", "--confidence", "0.75", "--json")).Expect(0).Json();
        var id = j.GetProperty("learning_id").GetString()!;
        Assert.Equal("hello_agent", j.GetProperty("script_name").GetString()); // taken from the run

        await using var store = await s.Store.OpenAsync();
        var stored = await store.GetLearningsAsync(new LearningQuery { FunctionName = "Login" }, TestContext.Current.CancellationToken);
        var l = Assert.Single(stored);
        Assert.Equal(id, l.LearningId);
        Assert.Equal(0.75, l.Confidence, 6);
        Assert.Equal(s.Ok.ExecutionId, l.ExecutionId);

        var listed = (await s.RunAsync("learnings", "--function", "Login", "--json")).Expect(0).Json();
        Assert.Equal(id, Assert.Single(listed.GetProperty("learnings").EnumerateArray()).GetProperty("learning_id").GetString());

        (await s.RunAsync("learn", "x", "--execution-id", "missing_20200101_000000_00000000")).Expect(1);
        (await s.RunAsync("learn", "x", "--confidence", "1.5")).Expect(2);
        Assert.Contains("Recorded learning", (await s.RunAsync("learn", "plain text learning")).Expect(0).Stdout);
    }

    [Fact]
    public async Task Relate_requires_a_real_rationale_and_the_relation_shows_in_the_graph()
    {
        await using var s = await SeededStore.CreateAsync();
        var from = $"log_events/{s.Failed.Error.EventId}";
        var shortOne = (await s.RunAsync("relate", from, s.Ok.ExecutionId, "--type", "FIXED_BY", "--rationale", "fixed it")).Expect(2);
        Assert.Contains("--rationale must be at least 50 characters (got 8)", shortOne.Stderr);

        var rationale = "The second run retried the download with backoff, which removed the timeout of the first run";
        var j = (await s.RunAsync("relate", from, s.Ok.ExecutionId, "--type", "fixed_by", "--rationale", rationale, "--confidence", "0.9", "--json")).Expect(0).Json();
        Assert.Equal("FIXED_BY", j.GetProperty("type").GetString());
        Assert.Equal($"script_runs/{s.Ok.ExecutionId}", j.GetProperty("to").GetString());

        await using var store = await s.Store.OpenAsync();
        var relations = await store.GetRelationsAsync(from, TestContext.Current.CancellationToken);
        var r = Assert.Single(relations);
        Assert.Equal(rationale, r.Rationale);

        var graph = (await s.RunAsync("graph", s.Failed.ExecutionId, "--json")).Expect(0).Json();
        Assert.Contains(graph.GetProperty("edges").EnumerateArray(), e =>
            e.GetProperty("type").GetString() == "FIXED_BY" && e.GetProperty("stored").GetBoolean() && e.GetProperty("rationale").GetString() == rationale);

        (await s.RunAsync("relate", "nonsense/1", s.Ok.ExecutionId, "--rationale", rationale)).Expect(2);
        (await s.RunAsync("relate", from, "not_a_run_20200101_000000_00000000", "--rationale", rationale)).Expect(1);
        (await s.RunAsync("relate", from, s.Ok.ExecutionId, "--type", "fixed by", "--rationale", rationale)).Expect(2);
    }

    [Fact]
    public async Task Prune_dry_run_counts_then_deletes()
    {
        await using var s = await SeededStore.CreateAsync();
        var dry = (await s.RunAsync("prune", "--execution-id", s.Failed.ExecutionId, "--dry-run", "--json")).Expect(0).Json();
        Assert.True(dry.GetProperty("dry_run").GetBoolean());
        Assert.Equal(s.Failed.Events.Count, dry.GetProperty("events").GetInt64());
        Assert.Equal(1, dry.GetProperty("runs").GetInt64());
        (await s.RunAsync("show", s.Failed.ExecutionId)).Expect(0); // still there

        var done = (await s.RunAsync("prune", "--execution-id", s.Failed.ExecutionId, "--json")).Expect(0).Json();
        Assert.False(done.GetProperty("dry_run").GetBoolean());
        Assert.Equal(s.Failed.Events.Count, done.GetProperty("events").GetInt64());
        Assert.Equal(0, done.GetProperty("learnings").GetInt64()); // kept unless --include-learnings
        var learnings = (await s.RunAsync("learnings", "--json")).Expect(0).Json();
        Assert.Contains(learnings.GetProperty("learnings").EnumerateArray(), l => l.GetProperty("learning_id").GetString() == s.Failed.Learning!.LearningId);
        (await s.RunAsync("show", s.Failed.ExecutionId)).Expect(1);
        (await s.RunAsync("show", s.Ok.ExecutionId)).Expect(0);

        var old = (await s.RunAsync("prune", "--older-than", "30d", "--dry-run", "--json")).Expect(0).Json();
        Assert.Equal(0, old.GetProperty("events").GetInt64()); // everything is minutes old

        var human = (await s.RunAsync("prune", "--category", "debug", "--dry-run")).Expect(0).Stdout;
        Assert.Contains("would delete", human);

        var none = (await s.RunAsync("prune")).Expect(2);
        Assert.Contains("Nothing selected", none.Stderr);
        var bad = (await s.RunAsync("prune", "--older-than", "30x")).Expect(2);
        Assert.Contains("Invalid duration '30x' for --older-than", bad.Stderr);
    }

    [Fact]
    public async Task Query_binds_parameters_and_reports_store_errors()
    {
        await using var s = await SeededStore.CreateAsync();
        var j = (await s.RunAsync("query", "SELECT count(*) AS n FROM log_events WHERE execution_id = @id",
            "--param", $"id={s.Ok.ExecutionId}", "--json")).Expect(0).Json();
        Assert.Equal(["n"], j.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(s.Ok.Events.Count, j.GetProperty("rows")[0].GetProperty("n").GetInt64());

        var typed = (await s.RunAsync("query", "SELECT @n + 1 AS m, @t AS t", "--param", "n=41", "--param", "t='0123'", "--json")).Expect(0).Json();
        Assert.Equal(42, typed.GetProperty("rows")[0].GetProperty("m").GetInt64());
        Assert.Equal("0123", typed.GetProperty("rows")[0].GetProperty("t").GetString());

        var malformed = (await s.RunAsync("query", "SELEC * FROM log_events")).Expect(2);
        Assert.Contains("Query failed", malformed.Stderr);
        Assert.Contains("syntax error", malformed.Stderr);

        var readOnly = (await s.RunAsync("query", "DELETE FROM log_events")).Expect(2);
        Assert.Contains("Query failed", readOnly.Stderr);
        Assert.Equal(s.Ok.Events.Count + s.Failed.Events.Count + s.Other.Events.Count,
            (await s.RunAsync("query", "SELECT count(*) AS n FROM log_events", "--json")).Expect(0).Json().GetProperty("rows")[0].GetProperty("n").GetInt64());

        var write = (await s.RunAsync("query", "DELETE FROM agent_learnings WHERE execution_id = @id", "--param", $"id={s.Other.ExecutionId}", "--write", "--json")).Expect(0).Json();
        Assert.Equal(1, write.GetProperty("rows_affected").GetInt32());

        var human = (await s.RunAsync("query", "SELECT script_name, count(*) AS runs FROM script_runs GROUP BY script_name ORDER BY script_name")).Expect(0).Stdout;
        Assert.Contains("hello_agent", human);
        Assert.Contains("2 row(s)", human);
        (await s.RunAsync("query", "SELECT 1", "--param", "novalue")).Expect(2);
    }
}
