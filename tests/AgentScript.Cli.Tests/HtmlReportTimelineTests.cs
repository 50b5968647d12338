using AgentScript.Cli.Output;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Tests;

/// <summary>The span timeline of the HTML report, rendered in-process from hand-made events.</summary>
public sealed class HtmlReportTimelineTests
{
    [Fact]
    public void A_span_that_starts_when_the_run_ends_still_renders_with_its_minimum_width()
    {
        var start = new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);
        var end = start.AddSeconds(10);
        var run = new ScriptRun { ExecutionId = "x_20261206_050000_0a1b2c3d", ScriptName = "x", Mode = "debug", Status = RunStatus.Success, StartTime = start, EndTime = end };
        LogEventRecord Event(string id, DateTimeOffset t, string category) => new()
        {
            EventId = id, Timestamp = t, Level = LogLevels.Info, Message = id, Category = category, SpanId = "s1", FunctionName = "last_step",
        };
        var events = new[] { Event("e1", end, LogCategories.SpanStart), Event("e2", end, LogCategories.SpanEnd) };
        var summary = new ExecutionSummary
        {
            Run = run, CountsByLevel = new Dictionary<string, long>(), EventCount = 2, Errors = [], Learnings = [], Progress = [],
        };

        var html = new HtmlReport(summary, events, omitted: 0).Render();

        Assert.Contains("data-span-id=\"s1\"", html, StringComparison.Ordinal);
        Assert.Contains("left:99.6%;width:0.4%", html, StringComparison.Ordinal);
    }
}
