using System.Text.Json;
using AgentScript.Cli.Tests.Support;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Cli.Tests;

/// <summary>The read-only commands, in-process against a real SQLite store seeded through the store's write path.</summary>
public sealed class ReadCommandTests
{
    [Fact]
    public async Task Init_creates_then_verifies_the_schema()
    {
        await using var temp = new TempStore();
        var first = (await temp.RunAsync("init", "--json")).Expect(0).Json();
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal("sqlite", first.GetProperty("kind").GetString());
        Assert.Contains(temp.DbPath, first.GetProperty("location").GetString());
        Assert.True(first.GetProperty("schema_version").GetInt32() >= 1);
        Assert.True(first.GetProperty("counts").TryGetProperty("log_events", out var events));
        Assert.Equal(0, events.GetInt64());
        Assert.True(File.Exists(temp.DbPath));

        var second = (await temp.RunAsync("init", "--json")).Expect(0).Json();
        Assert.False(second.GetProperty("created").GetBoolean());

        var human = (await temp.RunAsync("init")).Expect(0);
        Assert.Contains("Verified sqlite store", human.Stdout);
        Assert.Contains("log_events", human.Stdout);
    }

    [Fact]
    public async Task Runs_lists_newest_first_with_filters()
    {
        await using var s = await SeededStore.CreateAsync();
        var all = (await s.RunAsync("runs", "--json")).Expect(0).Json();
        Assert.Equal(3, all.GetProperty("count").GetInt32());
        var ids = all.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("execution_id").GetString()).ToList();
        Assert.Equal([s.Other.ExecutionId, s.Ok.ExecutionId, s.Failed.ExecutionId], ids);
        var first = all.GetProperty("runs")[0];
        Assert.Equal("other_script", first.GetProperty("script_name").GetString());
        Assert.Equal("success", first.GetProperty("status").GetString());
        Assert.Equal(s.Other.Events.Count, first.GetProperty("messages_logged").GetInt64());
        Assert.Equal(JsonValueKind.Object, first.GetProperty("final_response").ValueKind);

        var failed = (await s.RunAsync("runs", "--script", "hello_agent", "--status", "failed", "--json")).Expect(0).Json();
        Assert.Equal(s.Failed.ExecutionId, Assert.Single(failed.GetProperty("runs").EnumerateArray()).GetProperty("execution_id").GetString());

        var limited = (await s.RunAsync("runs", "--limit", "1", "--offset", "1", "--json")).Expect(0).Json();
        Assert.Equal(s.Ok.ExecutionId, Assert.Single(limited.GetProperty("runs").EnumerateArray()).GetProperty("execution_id").GetString());

        var human = (await s.RunAsync("runs")).Expect(0).Stdout;
        Assert.Contains(s.Ok.ExecutionId, human);
        Assert.Contains("failed", human);

        var bad = (await s.RunAsync("runs", "--status", "exploded")).Expect(2);
        Assert.Contains("Unknown status 'exploded'", bad.Stderr);
    }

    [Fact]
    public async Task Show_summarises_a_run_and_reports_unknown_ids()
    {
        await using var s = await SeededStore.CreateAsync();
        var j = (await s.RunAsync("show", s.Ok.ExecutionId, "--json")).Expect(0).Json();
        Assert.Equal(s.Ok.ExecutionId, j.GetProperty("run").GetProperty("execution_id").GetString());
        Assert.Equal(s.Ok.Events.Count, j.GetProperty("event_count").GetInt64());
        Assert.Equal(1, j.GetProperty("counts_by_level").GetProperty("ERROR").GetInt64());
        var error = Assert.Single(j.GetProperty("errors").EnumerateArray());
        Assert.Equal(s.Ok.Error.EventId, error.GetProperty("event_id").GetString());
        Assert.Equal("System.TimeoutException", error.GetProperty("exception").GetProperty("type").GetString());
        Assert.Equal(3, j.GetProperty("final_response").GetProperty("pages").GetInt32());
        Assert.Contains(j.GetProperty("learnings").EnumerateArray(), l => l.GetProperty("learning_id").GetString() == s.Ok.Learning!.LearningId);

        var human = (await s.RunAsync("show", s.Ok.ExecutionId)).Expect(0).Stdout;
        Assert.Contains("Download failed with a timeout", human);
        Assert.Contains("\"pages\": 3", human);

        var missing = (await s.RunAsync("show", "nope_20200101_000000_deadbeef")).Expect(1);
        Assert.Contains("No run with execution id 'nope_20200101_000000_deadbeef'", missing.Stderr);
        Assert.Equal("", missing.Stdout);
    }

    [Fact]
    public async Task Latest_prints_the_final_response_as_json()
    {
        await using var s = await SeededStore.CreateAsync();
        var raw = (await s.RunAsync("latest", "hello_agent")).Expect(0).Json();
        Assert.Equal(JsonDocument.Parse(s.Ok.FinalResponseJson!).RootElement.GetRawText().Replace(" ", ""), raw.GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));

        var wrapped = (await s.RunAsync("latest", "--execution-id", s.Other.ExecutionId, "--json")).Expect(0).Json();
        Assert.Equal(s.Other.ExecutionId, wrapped.GetProperty("execution_id").GetString());
        Assert.Equal("other_script", wrapped.GetProperty("response").GetProperty("script").GetString());

        var none = (await s.RunAsync("latest", "no_such_script")).Expect(1);
        Assert.Contains("No successful run of script 'no_such_script'", none.Stderr);
        (await s.RunAsync("latest")).Expect(2);
    }

    [Fact]
    public async Task Search_ranks_and_filters()
    {
        await using var s = await SeededStore.CreateAsync();
        var j = (await s.RunAsync("search", "timeout", "--json")).Expect(0).Json();
        var hits = j.GetProperty("hits").EnumerateArray().ToList();
        Assert.Contains(hits, h => h.GetProperty("event_id").GetString() == s.Ok.Error.EventId);
        Assert.All(hits, h => Assert.True(h.GetProperty("score").GetDouble() > 0));
        // Few matches: every one was ranked, and the output says so.
        Assert.True(j.GetProperty("exhaustive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("searched_since").ValueKind);
        var all = (await s.RunAsync("search", "timeout", "--exhaustive", "--json")).Expect(0).Json();
        Assert.Equal(hits.Count, all.GetProperty("count").GetInt32());
        Assert.True(all.GetProperty("exhaustive").GetBoolean());

        var byRun = (await s.RunAsync("search", "timeout", "--execution-id", s.Failed.ExecutionId, "--level", "error", "--json")).Expect(0).Json();
        var only = Assert.Single(byRun.GetProperty("hits").EnumerateArray());
        Assert.Equal(s.Failed.Error.EventId, only.GetProperty("event_id").GetString());

        var unique = (await s.RunAsync("search", "zebracorn", "--json")).Expect(0).Json();
        Assert.Equal(s.Ok.ExecutionId, Assert.Single(unique.GetProperty("hits").EnumerateArray()).GetProperty("execution_id").GetString());

        var human = (await s.RunAsync("search", "zebracorn")).Expect(0).Stdout;
        Assert.Contains("Fetched 3 pages zebracorn", human);

        var badLevel = (await s.RunAsync("search", "timeout", "--level", "loud")).Expect(2);
        Assert.Contains("Unknown level 'loud'", badLevel.Stderr);
        var badSince = (await s.RunAsync("search", "timeout", "--since", "30x")).Expect(2);
        Assert.Contains("Invalid time '30x' for --since", badSince.Stderr);
    }

    [Fact]
    public async Task Search_says_when_only_the_newest_matches_were_ranked_and_exhaustive_ranks_all()
    {
        await using var temp = new TempStore();
        var t0 = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        await using (var store = await temp.OpenAsync())
        {
            var id = ExecutionIds.Create("many_matches", t0);
            // The best match is the oldest event; 500 newer, longer matches follow (more than the 400 ranked by default).
            var writes = new List<StoreWrite> { new RunStartWrite(new ScriptRun { ExecutionId = id, ScriptName = "many_matches", Mode = "working", Status = RunStatus.Running, StartTime = t0 }) };
            for (var i = 0; i <= 500; i++)
            {
                writes.Add(new EventWrite(new LogEventRecord
                {
                    EventId = EventIds.New(), Timestamp = t0.AddSeconds(i), Level = LogLevels.Info, Category = LogLevels.Info,
                    Message = i == 0 ? "walrus walrus" : $"a walrus was seen near pier {i} during the morning survey of the harbour",
                    ExecutionId = id, ScriptName = "many_matches",
                }));
            }
            Assert.Empty((await store.WriteAsync(writes, TestContext.Current.CancellationToken)).Rejected);
        }

        var recent = (await temp.RunAsync("search", "walrus", "--limit", "1", "--json")).Expect(0).Json();
        Assert.False(recent.GetProperty("exhaustive").GetBoolean());
        Assert.Equal(400, recent.GetProperty("matches_ranked").GetInt32());
        Assert.StartsWith("2026-11-20T08:01:41", recent.GetProperty("searched_since").GetString()); // the 400th newest: event 101
        Assert.NotEqual("walrus walrus", recent.GetProperty("hits")[0].GetProperty("message").GetString());
        var note = (await temp.RunAsync("search", "walrus", "--limit", "1")).Expect(0).Stdout;
        Assert.Contains("Best of the newest 400 matches (since 2026-11-20 08:01:41.000 UTC)", note);
        Assert.Contains("--exhaustive", note);

        var all = (await temp.RunAsync("search", "walrus", "--limit", "1", "--exhaustive", "--json")).Expect(0).Json();
        Assert.True(all.GetProperty("exhaustive").GetBoolean());
        Assert.Equal(501, all.GetProperty("matches_ranked").GetInt32());
        Assert.Equal("walrus walrus", all.GetProperty("hits")[0].GetProperty("message").GetString());
        Assert.DoesNotContain("Best of the newest", (await temp.RunAsync("search", "walrus", "--limit", "1", "--exhaustive")).Expect(0).Stdout);
    }

    [Fact]
    public async Task Errors_shows_context_by_time_and_by_count()
    {
        await using var s = await SeededStore.CreateAsync();
        var byCount = (await s.RunAsync("errors", s.Ok.ExecutionId, "--context", "2", "--json")).Expect(0).Json();
        Assert.Equal(2, byCount.GetProperty("context").GetProperty("events").GetInt32());
        var e = Assert.Single(byCount.GetProperty("errors").EnumerateArray());
        Assert.Equal(s.Ok.Error.EventId, e.GetProperty("error").GetProperty("event_id").GetString());
        var index = s.Ok.Events.ToList().IndexOf(s.Ok.Error);
        Assert.Equal([s.Ok.Events[index - 2].EventId, s.Ok.Events[index - 1].EventId],
            e.GetProperty("before").EnumerateArray().Select(b => b.GetProperty("event_id").GetString()));
        Assert.Equal([s.Ok.Events[index + 1].EventId, s.Ok.Events[index + 2].EventId],
            e.GetProperty("after").EnumerateArray().Select(b => b.GetProperty("event_id").GetString()));

        // Events are 250 ms apart: ±600 ms holds two on each side.
        var byTime = (await s.RunAsync("errors", s.Ok.ExecutionId, "--context", "600ms", "--json")).Expect(0).Json();
        Assert.Equal(0.6, byTime.GetProperty("context").GetProperty("seconds").GetDouble(), 3);
        Assert.Equal(2, byTime.GetProperty("errors")[0].GetProperty("before").GetArrayLength());

        var human = (await s.RunAsync("errors", s.Ok.ExecutionId)).Expect(0).Stdout;
        Assert.Contains(">>", human);
        Assert.Contains("System.TimeoutException", human);

        var bad = (await s.RunAsync("errors", s.Ok.ExecutionId, "--context", "soon")).Expect(2);
        Assert.Contains("Invalid context window 'soon'", bad.Stderr);
        (await s.RunAsync("errors", "unknown_20200101_000000_00000000")).Expect(1);
    }

    [Fact]
    public async Task Learnings_filter_by_script_and_confidence()
    {
        await using var s = await SeededStore.CreateAsync();
        var all = (await s.RunAsync("learnings", "--json")).Expect(0).Json();
        Assert.Equal(3, all.GetProperty("count").GetInt32());
        var mine = (await s.RunAsync("learnings", "--script", "other_script", "--json")).Expect(0).Json();
        var l = Assert.Single(mine.GetProperty("learnings").EnumerateArray());
        Assert.Equal(s.Other.Learning!.LearningId, l.GetProperty("learning_id").GetString());
        Assert.Equal(0.9, l.GetProperty("confidence").GetDouble(), 6);
        var high = (await s.RunAsync("learnings", "--min-confidence", "0.95", "--json")).Expect(0).Json();
        Assert.Equal(0, high.GetProperty("count").GetInt32());
        (await s.RunAsync("learnings", "--min-confidence", "2")).Expect(2);
        Assert.Contains("retry with backoff", (await s.RunAsync("learnings")).Expect(0).Stdout);
    }

    [Fact]
    public async Task Stats_counts_runs_per_script()
    {
        await using var s = await SeededStore.CreateAsync();
        var j = (await s.RunAsync("stats", "--days", "7", "--json")).Expect(0).Json();
        Assert.Equal(7, j.GetProperty("days").GetInt32());
        var hello = j.GetProperty("scripts").EnumerateArray().Single(x => x.GetProperty("script_name").GetString() == "hello_agent");
        Assert.Equal(2, hello.GetProperty("runs").GetInt32());
        Assert.Equal(1, hello.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, hello.GetProperty("failed").GetInt32());
        Assert.Equal(0.5, hello.GetProperty("success_rate").GetDouble(), 6);
        Assert.True(j.GetProperty("trend").EnumerateArray().Sum(d => d.GetProperty("errors").GetInt64()) >= 3);

        var one = (await s.RunAsync("stats", "--script", "other_script", "--json")).Expect(0).Json();
        Assert.Equal("other_script", Assert.Single(one.GetProperty("scripts").EnumerateArray()).GetProperty("script_name").GetString());
        Assert.Contains("hello_agent", (await s.RunAsync("stats")).Expect(0).Stdout);
        (await s.RunAsync("stats", "--days", "0")).Expect(2);
    }

    [Fact]
    public async Task Graph_prints_json_dot_and_mermaid()
    {
        await using var s = await SeededStore.CreateAsync();
        var j = (await s.RunAsync("graph", s.Ok.ExecutionId, "--json")).Expect(0).Json();
        Assert.Equal(s.Ok.ExecutionId, j.GetProperty("execution_id").GetString());
        var nodeIds = j.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToHashSet();
        Assert.Contains($"log_events/{s.Ok.Error.EventId}", nodeIds);
        Assert.Contains(j.GetProperty("edges").EnumerateArray(), e => e.GetProperty("type").GetString() == RelationTypes.FollowedBy);

        var dot = (await s.RunAsync("graph", s.Ok.ExecutionId, "--format", "dot")).Expect(0).Stdout;
        Assert.StartsWith("digraph", dot);
        Assert.Contains($"\"log_events/{s.Ok.Error.EventId}\"", dot);
        Assert.Contains("FOLLOWED_BY", dot);
        var mermaid = (await s.RunAsync("graph", s.Ok.ExecutionId, "--format", "mermaid")).Expect(0).Stdout;
        Assert.StartsWith("flowchart TD", mermaid);
        Assert.Contains("class ", mermaid); // the error node is styled
        (await s.RunAsync("graph", s.Ok.ExecutionId, "--format", "png")).Expect(2);
        (await s.RunAsync("graph", "unknown_20200101_000000_00000000")).Expect(1);
    }
}
