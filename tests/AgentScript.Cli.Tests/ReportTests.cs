using System.Text.RegularExpressions;
using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>The HTML report, rendered by headless Chromium (Debian's package).</summary>
public sealed class ReportTests
{
    [Fact]
    public async Task Report_renders_the_timeline_in_headless_chromium()
    {
        await using var s = await SeededStore.CreateAsync();
        var html = Path.Combine(s.Store.Directory, "report.html");
        var j = (await s.RunAsync("report", s.Ok.ExecutionId, "--output", html, "--json")).Expect(0).Json();
        Assert.Equal(s.Ok.Events.Count, j.GetProperty("events").GetInt32());
        Assert.Equal(2, j.GetProperty("spans").GetInt32());
        Assert.Equal(1, j.GetProperty("errors").GetInt32());

        var text = await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken);
        // Self-contained: no external scripts, styles, images or fonts.
        Assert.DoesNotMatch(new Regex("<(script|link|img)[^>]+(src|href)=", RegexOptions.IgnoreCase), text);
        Assert.DoesNotContain("url(http", text);
        Assert.DoesNotContain("@import", text);

        var (chromium, reason) = await Chromium.EnsureAsync();
        if (chromium is null)
        {
            Assert.Skip(reason!);
        }
        var png = Path.Combine(s.Store.Directory, "report.png");
        var dom = await Chromium.DumpDomAndScreenshotAsync(chromium, html, png);

        // The inline script ran (it marks the body), so the page works without a network.
        Assert.Contains("data-report-ready=\"true\"", dom);
        Assert.Contains($"<span id=\"run-id\">{s.Ok.ExecutionId}</span>", dom);
        foreach (var e in s.Ok.Events)
        {
            Assert.Contains($"data-event-id=\"{e.EventId}\"", dom);
        }
        // The error row is highlighted and listed in the errors section with a link to it.
        Assert.Matches(new Regex($"class=\"event lvl-error error\" id=\"ev-{s.Ok.Error.EventId}\""), dom);
        Assert.Contains($"href=\"#ev-{s.Ok.Error.EventId}\"", dom);
        // Span nesting: the inner span's <details> sits inside the outer span's, and the error inside the inner.
        var outer = dom.IndexOf("data-span-id=\"span-outer-0001\" data-parent-span-id=\"\"", StringComparison.Ordinal);
        var inner = dom.IndexOf("data-span-id=\"span-inner-0002\" data-parent-span-id=\"span-outer-0001\" data-depth=\"1\"", StringComparison.Ordinal);
        var error = dom.IndexOf($"id=\"ev-{s.Ok.Error.EventId}\"", StringComparison.Ordinal);
        Assert.True(outer > 0 && inner > outer && error > inner, "span nesting in the DOM");
        Assert.Contains("class=\"gantt-bar failed\"", dom); // the span with the error is drawn red in the span timeline
        Assert.Contains("id=\"progress\"", dom);
        Assert.Matches(new Regex("<pre id=\"final-response\">[^<]*(\"|&quot;)pages(\"|&quot;): 3"), dom); // final response
        Assert.Contains("System.TimeoutException", dom);

        // Kept for a human look after the run (the temp store folder is deleted).
        File.Copy(png, Path.Combine(Path.GetTempPath(), "agentlog-report-last.png"), overwrite: true);
        File.Copy(html, Path.Combine(Path.GetTempPath(), "agentlog-report-last.html"), overwrite: true);
        var bytes = await File.ReadAllBytesAsync(png, TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 1000, "screenshot is not empty");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }

    [Fact]
    public async Task Report_of_an_unknown_run_fails_with_exit_1_and_writes_nothing()
    {
        await using var s = await SeededStore.CreateAsync();
        var html = Path.Combine(s.Store.Directory, "none.html");
        var r = (await s.RunAsync("report", "ghost_20200101_000000_00000000", "--output", html)).Expect(1);
        Assert.Contains("No run with execution id", r.Stderr);
        Assert.False(File.Exists(html));
    }

    [Fact]
    public async Task Report_defaults_to_a_file_named_after_the_run()
    {
        await using var s = await SeededStore.CreateAsync();
        var r = (await s.RunAsync("report", s.Failed.ExecutionId, "--output", "-")).Expect(0);
        Assert.StartsWith("<!DOCTYPE html>", r.Stdout);
        Assert.Contains("status-failed", r.Stdout);
        Assert.Contains("The script gave up", r.Stdout);
    }
}
