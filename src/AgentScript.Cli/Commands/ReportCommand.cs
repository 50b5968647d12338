using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog report &lt;execution-id&gt;</c>: a self-contained HTML run report.</summary>
internal static class ReportCommand
{
    public static Command Create(CommandKit kit)
    {
        var id = new Argument<string>("execution-id") { Description = "The run's execution id." };
        var output = new Option<string?>("--output", "-o") { Description = "The HTML file to write (default: <execution-id>.html in the current folder; '-' = stdout). The file is readable by you only and replaced only when complete." };
        var maxEvents = new Option<int>("--max-events") { Description = "Most events to include (the rest are counted, not shown).", DefaultValueFactory = _ => 20_000 };
        var stallThreshold = StallThreshold.CreateOption();
        var command = new Command("report",
            "Write one self-contained HTML file (inline CSS and JavaScript, nothing fetched from the network) that shows a " +
            "run: status and counts, a span timeline (traced calls as bars, nested by parent span), progress, the errors " +
            "(highlighted, linked to the timeline), stalls (gaps over --stall-threshold), typed agent events, every event in a tree nested by span, learnings and the final " +
            "response. Open it in any browser. Exit code 1 when the run is unknown.\n" +
            "Examples:\n  agentlog report <execution-id>\n  agentlog report <execution-id> --output run.html --json")
        {
            id, output, maxEvents, stallThreshold,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var executionId = r.GetValue(id)!;
            var max = CliParsing.Positive(r.GetValue(maxEvents), "--max-events");
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var summary = await store.GetExecutionSummaryAsync(executionId, ct) ?? throw ShowCommand.NotFound(executionId);
                var events = new List<LogEventRecord>();
                long omitted = 0;
                await foreach (var se in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId }, ct))
                {
                    if (events.Count < max)
                    {
                        events.Add(se.Event);
                    }
                    else
                    {
                        omitted++;
                    }
                }
                // Stream order is insertion order; a timeline wants time order (stable for equal times).
                var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.Timestamp).ThenBy(x => x.i).Select(x => x.e).ToList();
                var report = new HtmlReport(summary, ordered, omitted) { StallThreshold = StallThreshold.Resolve(ctx, r, stallThreshold) };
                var html = report.Render();

                var target = LearningsCommand.Blank(r.GetValue(output)) ?? ExecutionIds.SafeName(executionId) + ".html";
                if (target == "-")
                {
                    await ctx.Out.WriteAsync(html);
                    return CliExitCodes.Ok;
                }
                var fullPath = Path.GetFullPath(target, ctx.Settings.WorkingDirectory);
                // Owner-only, and renamed into place only when complete (see OutputFile).
                await using (var file = OutputFile.Create(fullPath))
                {
                    await file.Writer.WriteAsync(html.AsMemory(), ct);
                    await file.CommitAsync(ct);
                }
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["execution_id"] = executionId,
                        ["output"] = fullPath,
                        ["events"] = ordered.Count,
                        ["omitted_events"] = omitted,
                        ["spans"] = report.SpanCount,
                        ["errors"] = ordered.Count(e => LogLevels.Rank(e.Level) >= LogLevels.Rank(LogLevels.Error)),
                        ["bytes"] = new FileInfo(fullPath).Length,
                        ["stalls"] = report.StallCount,
                    });
                }
                else
                {
                    ctx.Console.WriteLine($"Wrote {fullPath} ({ordered.Count} events, {report.SpanCount} spans). Open it in a browser.");
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
