using System.Text.Json;
using AgentScript.Cli.Tests.Support;
using AgentScript.Hosting;

namespace AgentScript.Cli.Tests;

/// <summary>diff, stalls and typed agent events on runs made by the real runtime (<see cref="AgentRuns"/>).</summary>
[Collection(RealRunCollection.Name)]
public sealed class RunDiffAndStallTests
{
    [Fact]
    public async Task Diff_of_a_failed_and_a_fixed_debug_run_shows_what_changed()
    {
        await using var temp = new TempStore();
        var (failed, fixedRun) = await AgentRuns.FailThenFixAsync(temp);

        var d = (await temp.RunAsync("diff", failed, fixedRun, "--json")).Expect(0).Json();
        Assert.Equal("failed", d.GetProperty("a").GetProperty("status").GetString());
        Assert.Equal("success", d.GetProperty("b").GetProperty("status").GetString());
        Assert.True(d.GetProperty("status_changed").GetBoolean());
        Assert.Equal(JsonValueKind.Number, d.GetProperty("duration_change_ms").ValueKind);

        var changes = d.GetProperty("response_changes").EnumerateArray().ToDictionary(c => c.GetProperty("path").GetString()!);
        Assert.Equal("changed", changes["$.parsed"].GetProperty("kind").GetString());
        Assert.Equal(2, changes["$.parsed"].GetProperty("before").GetInt32());
        Assert.Equal(3, changes["$.parsed"].GetProperty("after").GetInt32());
        Assert.Equal("ok", changes["$.status"].GetProperty("after").GetString());
        Assert.Equal("removed", changes["$.errors"].GetProperty("kind").GetString());
        Assert.Equal("added", changes["$.total"].GetProperty("kind").GetString());
        Assert.Equal(4.5, changes["$.total"].GetProperty("after").GetDouble());

        var levels = d.GetProperty("levels").EnumerateArray().ToDictionary(l => l.GetProperty("level").GetString()!);
        Assert.True(levels["ERROR"].GetProperty("a").GetInt64() >= 1);
        Assert.Equal(0, levels["ERROR"].GetProperty("b").GetInt64());
        Assert.Contains("System.FormatException", d.GetProperty("errors_disappeared").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(d.GetProperty("errors_appeared").EnumerateArray());

        var span = d.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("function_name").GetString() == "CsvAgent.Parse");
        // The fix waits 50 ms inside the span; Task.Delay may end a timer tick early (48.8 ms seen on CI).
        Assert.True(span.GetProperty("b_ms").GetDouble() >= 40, span.ToString());
        Assert.True(span.GetProperty("change_ms").GetDouble() > 0, span.ToString());
        var learning = Assert.Single(d.GetProperty("learnings_between").EnumerateArray());
        Assert.Contains("semicolons", learning.GetProperty("learning").GetString());

        // The text form: every line fits a 100-column terminal, and the facts are there.
        temp.Environment["COLUMNS"] = "100";
        var text = (await temp.RunAsync("diff", failed, fixedRun)).Expect(0).Stdout;
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 100, line));
        Assert.Contains("status failed -> success", text);
        Assert.Contains("~ $.parsed  2 -> 3", text);
        Assert.Contains("Errors disappeared: System.FormatException", text);
        Assert.Contains("CsvAgent.Parse", text);

        var missing = (await temp.RunAsync("diff", failed, "nope_20200101_000000_00000000")).Expect(1);
        Assert.Contains("No run with execution id 'nope_20200101_000000_00000000'", missing.Stderr);

        // The same query through the AgentLog facade (store-neutral, outside the stores).
        AgentLog.Configure(Runtime.DefaultRuntimeServices.Instance.LoadOptions(temp.Environment, temp.Directory));
        try
        {
            var diff = await AgentLog.DiffRunsAsync(failed, fixedRun, TestContext.Current.CancellationToken);
            Assert.Equal(RunStatusOf("failed"), diff.RunA.Status);
            Assert.Contains(diff.ResponseChanges, c => c.Path == "$.parsed" && c.Before == "2" && c.After == "3");
        }
        finally
        {
            await AgentLog.CloseAndFlushAsync();
        }
    }

    private static Model.RunStatus RunStatusOf(string name) => Enum.Parse<Model.RunStatus>(name, ignoreCase: true);

    [Fact]
    public async Task Typed_agent_events_are_stored_searchable_and_shown()
    {
        await using var temp = new TempStore();
        var (failed, fixedRun) = await AgentRuns.FailThenFixAsync(temp);

        var show = (await temp.RunAsync("show", fixedRun, "--json")).Expect(0).Json();
        var events = show.GetProperty("agent_events").EnumerateArray().ToList();
        Assert.Equal(["AGENT_DECISION", "AGENT_ACTION", "AGENT_STATE_CHANGE", "AGENT_REWARD"], events.Select(e => e.GetProperty("log_category").GetString()));
        var decision = events[0].GetProperty("payload");
        Assert.Equal("semicolon", decision.GetProperty("chosen").GetString());
        Assert.Equal(2, decision.GetProperty("options").GetArrayLength());
        Assert.Contains("commas inside the amount", decision.GetProperty("reasoning").GetString());
        var action = events[1].GetProperty("payload");
        Assert.Equal("parse_rows", action.GetProperty("action").GetString());
        Assert.Equal(3, action.GetProperty("outcome").GetProperty("parsed").GetInt32());
        Assert.Equal("***", action.GetProperty("parameters").GetProperty("api_token").GetString());
        Assert.Equal("reporting", events[2].GetProperty("payload").GetProperty("to").GetProperty("stage").GetString());
        Assert.Equal(0.0, events[3].GetProperty("payload").GetProperty("cumulative_reward").GetDouble());

        // The failed action is a WARNING; typed events are found by search with their category.
        var failedShow = (await temp.RunAsync("show", failed, "--json")).Expect(0).Json();
        Assert.Equal("WARNING", failedShow.GetProperty("agent_events").EnumerateArray().Single(e => e.GetProperty("log_category").GetString() == "AGENT_ACTION").GetProperty("level").GetString());
        var hits = (await temp.RunAsync("search", "semicolon", "--category", "AGENT_DECISION", "--json")).Expect(0).Json();
        Assert.Equal(2, hits.GetProperty("count").GetInt32());
        var all = (await temp.RunAsync("export", "--execution-id", fixedRun)).Expect(0).Stdout;
        Assert.DoesNotContain("tok-should-not-appear", all);

        var text = (await temp.RunAsync("show", fixedRun)).Expect(0).Stdout;
        Assert.Contains("Agent events (4)", text);
        Assert.Contains("Decision separator: chose semicolon", text);

        var html = Path.Combine(temp.Directory, "r.html");
        (await temp.RunAsync("report", fixedRun, "--output", html)).Expect(0);
        var page = await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken);
        Assert.Contains("id=\"agent-events\"", page);
        Assert.Contains("data-category=\"AGENT_REWARD\"", page);
    }

    [Fact]
    public async Task Stalls_are_reported_by_errors_stats_and_the_report_with_the_events_around_them()
    {
        await using var temp = new TempStore();
        var (failed, _) = await AgentRuns.FailThenFixAsync(temp);

        var errors = (await temp.RunAsync("errors", failed, "--stall-threshold", AgentRuns.Threshold, "--json")).Expect(0).Json();
        var stalls = errors.GetProperty("stalls");
        Assert.Equal(500, stalls.GetProperty("threshold_ms").GetDouble());
        var stall = Assert.Single(stalls.GetProperty("items").EnumerateArray(),
            s => s.GetProperty("before").GetProperty("log_category").GetString() == "AGENT_STATE_CHANGE");
        Assert.True(stall.GetProperty("gap_ms").GetDouble() >= AgentRuns.Pause.TotalMilliseconds - 20, stall.ToString());
        Assert.Equal("AGENT_STATE_CHANGE", stall.GetProperty("before").GetProperty("log_category").GetString());
        Assert.Equal("AGENT_REWARD", stall.GetProperty("after").GetProperty("log_category").GetString());

        // The default threshold (30 s) finds none; the environment variable sets it too.
        Assert.Equal(0, (await temp.RunAsync("errors", failed, "--json")).Expect(0).Json().GetProperty("stalls").GetProperty("count").GetInt32());
        temp.Environment["AGENTSCRIPT_STALL_THRESHOLD"] = AgentRuns.Threshold;
        var text = (await temp.RunAsync("errors", failed)).Expect(0).Stdout;
        Assert.Contains("gap(s) over 500 ms", text);
        Assert.Contains("State of importer changed", text);

        var stats = (await temp.RunAsync("stats", "--json")).Expect(0).Json().GetProperty("stalled_runs");
        Assert.Equal(2, stats.GetProperty("checked_runs").GetInt32());
        Assert.Equal(2, stats.GetProperty("runs").GetArrayLength());

        var report = (await temp.RunAsync("report", failed, "--output", Path.Combine(temp.Directory, "f.html"), "--json")).Expect(0).Json();
        Assert.True(report.GetProperty("stalls").GetInt32() >= 1);
        Assert.Contains("id=\"stalls\"", await File.ReadAllTextAsync(Path.Combine(temp.Directory, "f.html"), TestContext.Current.CancellationToken));

        var bad = (await temp.RunAsync("errors", failed, "--stall-threshold", "0s")).Expect(2);
        Assert.Contains("--stall-threshold must be more than 0", bad.Stderr);
    }

    [Fact]
    public async Task Tail_follow_flags_a_live_run_that_has_gone_quiet()
    {
        await using var temp = new TempStore();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var script = AgentRuns.RunAsync(temp, stop.Token, "hang");
        try
        {
            // Wait for the run's first event to be stored (a signal, not a fixed sleep).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await temp.RunAsync("search", "HANG_STARTED", "--json")).Json().GetProperty("count").GetInt32() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the hanging run's first event never arrived");
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            var tail = (await temp.RunAsync("tail", "--follow", "--interval", "100ms", "--for", "3s", "--stall-threshold", "300ms", "--json")).Expect(0);
            var quiet = tail.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(o => o.TryGetProperty("quiet_run", out _)).Select(o => o.GetProperty("quiet_run")).ToList();
            var flag = Assert.Single(quiet); // flagged once, not on every poll
            Assert.StartsWith(AgentRuns.Script + "_", flag.GetProperty("execution_id").GetString());
            Assert.True(flag.GetProperty("quiet_ms").GetDouble() > 300);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Cancelled, await script);
        }
    }
}
