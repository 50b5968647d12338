using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using Spectre.Console;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog stats</c>: runs per script, success rate, duration percentiles, error trend.</summary>
internal static class StatsCommand
{
    public static Command Create(CommandKit kit)
    {
        var days = new Option<int>("--days", "-d") { Description = "Window in days (1–3650).", DefaultValueFactory = _ => 7 };
        var script = new Option<string?>("--script", "-s") { Description = "Only this script." };
        var stallThreshold = StallThreshold.CreateOption();
        var command = new Command("stats",
            "How scripts have done over the last N days: runs, successes, failures, success rate and duration " +
            "percentiles (p50, p90, p99, max) per script, and per day the runs, failed runs and ERROR/CRITICAL events; then the stalled runs among the newest 50 (gaps in " +
            "activity longer than --stall-threshold, default 30 s).\n" +
            "Examples:\n  agentlog stats\n  agentlog stats --days 30 --script hello_agent --json")
        {
            days, script, stallThreshold,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var window = CliParsing.Positive(r.GetValue(days), "--days", 3650);
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var report = await store.GetPerformanceAsync(LearningsCommand.Blank(r.GetValue(script)), window, ct);
                var threshold = StallThreshold.Resolve(ctx, r, stallThreshold);
                var (stalled, checkedRuns) = await StalledRuns.FindAsync(store, LearningsCommand.Blank(r.GetValue(script)), ctx.Now.AddDays(-window), threshold, ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["script_name"] = report.ScriptName,
                        ["days"] = report.Days,
                        ["scripts"] = JsonShapes.Array(report.Scripts, s => new JsonObject
                        {
                            ["script_name"] = s.ScriptName,
                            ["runs"] = s.Runs,
                            ["succeeded"] = s.Succeeded,
                            ["failed"] = s.Failed,
                            ["cancelled"] = s.Cancelled,
                            ["abandoned"] = s.Abandoned,
                            ["success_rate"] = s.SuccessRate,
                            ["p50_ms"] = s.P50Ms,
                            ["p90_ms"] = s.P90Ms,
                            ["p99_ms"] = s.P99Ms,
                            ["max_ms"] = s.MaxMs,
                        }),
                        ["trend"] = JsonShapes.Array(report.Trend, d => new JsonObject
                        {
                            ["day"] = d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                            ["runs"] = d.Runs,
                            ["failed_runs"] = d.FailedRuns,
                            ["errors"] = d.Errors,
                        }),
                        ["stalled_runs"] = StalledRuns.Json(stalled, checkedRuns, threshold),
                    });
                    return CliExitCodes.Ok;
                }
                ctx.Console.Write(new Rule($"Scripts, last {report.Days} day(s)").LeftJustified());
                if (report.Scripts.Count == 0)
                {
                    ctx.Console.WriteLine("No runs in this window.");
                }
                else
                {
                    var t = Tables.Create("script", "runs", "ok", "failed", "cancelled", "abandoned", "success", "p50", "p90", "p99", "max");
                    foreach (var s in report.Scripts)
                    {
                        t.Row(s.ScriptName, s.Runs.ToString(CultureInfo.InvariantCulture), s.Succeeded.ToString(CultureInfo.InvariantCulture),
                            s.Failed.ToString(CultureInfo.InvariantCulture), s.Cancelled.ToString(CultureInfo.InvariantCulture),
                            s.Abandoned.ToString(CultureInfo.InvariantCulture), (s.SuccessRate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
                            Tables.Duration(s.P50Ms), Tables.Duration(s.P90Ms), Tables.Duration(s.P99Ms), Tables.Duration(s.MaxMs));
                    }
                    ctx.Console.Write(t);
                }
                if (report.Trend.Count > 0)
                {
                    ctx.Console.Write(new Rule("Per day").LeftJustified());
                    // The bar column is shown only when there is something to draw, and has a heading.
                    var maxErrors = report.Trend.Max(d => d.Errors);
                    var t = maxErrors > 0
                        ? Tables.Create("day", "runs", "failed", "errors", "errors (bar)")
                        : Tables.Create("day", "runs", "failed", "errors");
                    foreach (var d in report.Trend)
                    {
                        string[] cells = [d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Runs.ToString(CultureInfo.InvariantCulture),
                            d.FailedRuns.ToString(CultureInfo.InvariantCulture), d.Errors.ToString(CultureInfo.InvariantCulture)];
                        t.Row(maxErrors > 0 ? [.. cells, new string('#', (int)Math.Ceiling(20.0 * d.Errors / maxErrors))] : cells);
                    }
                    ctx.Console.Write(t);
                }
                StalledRuns.Write(ctx.Console, stalled, checkedRuns, threshold);
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
