using System.Text.Json;
using System.Text.RegularExpressions;
using AgentScript.Cli.Tests.Support;
using AgentScript.Hosting;
using AgentScript.Tracing;

namespace AgentScript.Cli.Tests;

/// <summary>
/// agentlog against runs made by the real runtime: <see cref="ScriptHost.RunAsync(string[], ScriptManifest, ScriptHostOptions)"/>
/// with a hand-written manifest (what the generator emits), the real Serilog sink, write pipeline and SQLite store.
/// One class, so the runs (which use the process-wide logger) never overlap.
/// </summary>
[Collection(RealRunCollection.Name)]
public sealed class RealRunTests
{
    private static ScriptManifest Manifest() => new("real_agent", new[]
    {
        new ScriptEntry("working", "Fetches, parses with a recovered error, returns a result.", static context =>
        {
            context.Logger.Information("Starting with {Count} urls", 2);
            using (var outer = TraceSpan.Start("Crawler.FetchAll"))
            {
                context.Logger.Information("Fetched {Pages} pages", 2);
                using (var inner = TraceSpan.Start("Crawler.ParsePage"))
                {
                    try
                    {
                        throw new TimeoutException("upstream did not answer within 30 s");
                    }
                    catch (TimeoutException e)
                    {
                        context.Logger.Error(e, "Parsing page {Page} failed", 2);
                    }
                    context.Logger.Information("Retried page {Page}: fixed", 2);
                    inner.Complete();
                }
                AgentLog.Progress("parsed", 75, new { pages = 2 });
                outer.Complete();
            }
            AgentLog.LogLearning("The upstream needs a retry on page 2", "Crawler.ParsePage", confidence: 0.85);
            return new ValueTask<EntryResult>(EntryResult.From(new { pages = 2, status = "ok" }));
        }),
        new ScriptEntry("fail", "Throws.", static _ => throw new InvalidOperationException("the widget exploded on purpose")),
    }, "A script for the agentlog tests.");

    private static async Task<int> RunScriptAsync(TempStore temp, string mode)
    {
        var output = new StringWriter();
        return await ScriptHost.RunAsync([mode], Manifest(), new ScriptHostOptions
        {
            Environment = temp.Environment,
            ConfigurationDirectory = temp.Directory,
            Stdout = output,
            Stderr = output,
            HandleProcessEvents = false,
            CancellationToken = TestContext.Current.CancellationToken,
        });
    }

    [Fact]
    public async Task Commands_work_on_runs_made_by_the_script_host()
    {
        await using var temp = new TempStore();
        Assert.Equal(ExitCodes.Success, await RunScriptAsync(temp, "working"));
        Assert.Equal(ExitCodes.Failed, await RunScriptAsync(temp, "fail"));

        var runs = (await temp.RunAsync("runs", "--script", "real_agent", "--json")).Expect(0).Json();
        Assert.Equal(2, runs.GetProperty("count").GetInt32());
        var failed = runs.GetProperty("runs")[0];
        var ok = runs.GetProperty("runs")[1];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("System.InvalidOperationException", failed.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("success", ok.GetProperty("status").GetString());
        var id = ok.GetProperty("execution_id").GetString()!;
        Assert.Matches(new Regex(@"^real_agent_\d{8}_\d{6}_[0-9a-f]{8}$"), id);

        var latest = (await temp.RunAsync("latest", "real_agent")).Expect(0).Json();
        Assert.Equal(2, latest.GetProperty("pages").GetInt32());

        var show = (await temp.RunAsync("show", id, "--json")).Expect(0).Json();
        Assert.True(show.GetProperty("event_count").GetInt64() >= 8);
        var error = Assert.Single(show.GetProperty("errors").EnumerateArray());
        Assert.Equal("System.TimeoutException", error.GetProperty("exception").GetProperty("type").GetString());
        Assert.Equal("Crawler.ParsePage", error.GetProperty("function_name").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("parent_span_id").GetString()));
        Assert.Single(show.GetProperty("learnings").EnumerateArray());

        var search = (await temp.RunAsync("search", "upstream", "--execution-id", id, "--json")).Expect(0).Json();
        Assert.True(search.GetProperty("count").GetInt32() >= 1);
        var errors = (await temp.RunAsync("errors", id, "--context", "3", "--json")).Expect(0).Json();
        Assert.True(errors.GetProperty("errors")[0].GetProperty("before").GetArrayLength() >= 1);

        var export = (await temp.RunAsync("export", "--execution-id", id)).Expect(0).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(show.GetProperty("event_count").GetInt64(), export.Length);
        var spanStarts = export.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("log_category").GetString() == "SPAN_START").ToList();
        Assert.Equal(2, spanStarts.Count);

        var stats = (await temp.RunAsync("stats", "--script", "real_agent", "--json")).Expect(0).Json();
        Assert.Equal(0.5, stats.GetProperty("scripts")[0].GetProperty("success_rate").GetDouble(), 6);
        var graph = (await temp.RunAsync("graph", id, "--format", "mermaid")).Expect(0).Stdout;
        Assert.StartsWith("flowchart TD", graph);

        // The HTML report of the real run, in headless Chromium: spans nested as the tracing nested them.
        var html = Path.Combine(temp.Directory, "real.html");
        var report = (await temp.RunAsync("report", id, "--output", html, "--json")).Expect(0).Json();
        Assert.Equal(2, report.GetProperty("spans").GetInt32());
        var (chromium, reason) = await Chromium.EnsureAsync();
        if (chromium is null)
        {
            Assert.Skip(reason!);
        }
        var dom = await Chromium.DumpDomAndScreenshotAsync(chromium, html, Path.Combine(temp.Directory, "real.png"));
        var outerSpan = spanStarts.Single(e => e.GetProperty("function_name").GetString() == "Crawler.FetchAll").GetProperty("span_id").GetString();
        var innerSpan = spanStarts.Single(e => e.GetProperty("function_name").GetString() == "Crawler.ParsePage").GetProperty("span_id").GetString();
        Assert.Contains($"data-span-id=\"{innerSpan}\" data-parent-span-id=\"{outerSpan}\" data-depth=\"1\"", dom);
        Assert.Contains($"<span id=\"run-id\">{id}</span>", dom);
        Assert.Contains("upstream did not answer within 30 s", dom);
        Assert.Contains("id=\"progress\"", dom);
    }
}
