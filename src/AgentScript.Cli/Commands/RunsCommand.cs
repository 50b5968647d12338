using System.CommandLine;
using Spectre.Console;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog runs</c>: recent runs.</summary>
internal static class RunsCommand
{
    public static Command Create(CommandKit kit)
    {
        var script = new Option<string?>("--script", "-s") { Description = "Only runs of this script." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status: running, success, failed, cancelled or abandoned." };
        var since = new Option<string?>("--since") { Description = "Only runs started at or after this time: a duration back from now (2h, 7d) or ISO-8601." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many runs to show (1–1000).", DefaultValueFactory = _ => 20 };
        var offset = new Option<int>("--offset") { Description = "Runs to skip (paging).", DefaultValueFactory = _ => 0 };
        var command = new Command("runs",
            "List recent runs, newest first: execution id, script, mode, status, start time, duration, event and error counts. " +
            "A run left 'running' by a process that died shows as 'abandoned'.\n" +
            "Examples:\n  agentlog runs\n  agentlog runs --script hello_agent --status failed --since 7d\n  agentlog runs --limit 5 --json")
        {
            script, status, since, limit, offset,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var query = new RunQuery
            {
                ScriptName = string.IsNullOrWhiteSpace(r.GetValue(script)) ? null : r.GetValue(script),
                Status = CliParsing.Status(r.GetValue(status)),
                Since = CliParsing.Time(r.GetValue(since), "--since", ctx.Now),
                Limit = CliParsing.Positive(r.GetValue(limit), "--limit", 1000),
                Offset = CliParsing.NotNegative(r.GetValue(offset), "--offset"),
            };
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var runs = await WithEventCountsAsync(store, await store.ListRunsAsync(query, ct), ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["count"] = runs.Count,
                        ["runs"] = JsonShapes.Array(runs, JsonShapes.Run),
                    });
                    return CliExitCodes.Ok;
                }
                if (runs.Count == 0)
                {
                    ctx.Console.WriteLine("No runs match. Run a script first (for example: dotnet run --project samples/HelloAgent).");
                    return CliExitCodes.Ok;
                }
                var table = Tables.Create("execution id", "script", "mode", "status", "started (UTC)", "duration", "events", "errors", "progress");
                foreach (var run in runs)
                {
                    table.Row(run.ExecutionId, run.ScriptName, run.Mode, run.Status.ToName(), Tables.Time(run.StartTime),
                        Tables.Duration(run.DurationMs), run.MessagesLogged.ToString(CultureInfo.InvariantCulture),
                        ErrorCount(run).ToString(CultureInfo.InvariantCulture),
                        run.Progress is { } p ? $"{Tables.Number(p.Percent, "0")}% {p.Stage}" : "");
                }
                ctx.Console.Write(table);
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>
    /// Runs whose own counters were never written (still running, or abandoned by a process that died before it
    /// ended the run) get their event and level counts from the stored events, so they do not show 0.
    /// </summary>
    internal static async Task<IReadOnlyList<ScriptRun>> WithEventCountsAsync(Storage.IAgentLogStore store, IReadOnlyList<ScriptRun> runs, CancellationToken ct)
    {
        if (!runs.Any(NeedsCount))
        {
            return runs;
        }
        var counted = new List<ScriptRun>(runs.Count);
        foreach (var run in runs)
        {
            if (NeedsCount(run) && await store.GetExecutionSummaryAsync(run.ExecutionId, ct) is { } summary)
            {
                counted.Add(run with { MessagesLogged = summary.EventCount, CountsByLevel = summary.CountsByLevel });
            }
            else
            {
                counted.Add(run);
            }
        }
        return counted;
    }

    private static bool NeedsCount(ScriptRun run) =>
        run.Status is RunStatus.Running or RunStatus.Abandoned && run.MessagesLogged == 0;

    /// <summary>ERROR + CRITICAL events of a run.</summary>
    internal static long ErrorCount(ScriptRun run) =>
        run.CountsByLevel.Where(kv => LogLevels.Rank(kv.Key) >= LogLevels.Rank(LogLevels.Error)).Sum(kv => kv.Value);
}
