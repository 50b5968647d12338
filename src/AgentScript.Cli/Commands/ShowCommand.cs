using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;
using Spectre.Console;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog show &lt;execution-id&gt;</c>: execution summary.</summary>
internal static class ShowCommand
{
    public static Command Create(CommandKit kit)
    {
        var id = new Argument<string>("execution-id") { Description = "The run's execution id (from 'agentlog runs')." };
        var command = new Command("show",
            "Summarise one run: the run record (status, times, error), event counts by level, the errors, learnings, " +
            "progress reports, typed agent events (actions, decisions, state changes, rewards) and the final response. " +
            "Exit code 1 when the run is unknown.\n" +
            "Examples:\n  agentlog show hello_agent_20261124_101500_1a2b3c4d\n  agentlog show <execution-id> --json")
        {
            id,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var executionId = r.GetValue(id)!;
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var summary = await store.GetExecutionSummaryAsync(executionId, ct)
                    ?? throw NotFound(executionId);
                var agentEvents = await AgentEventShapes.ReadAsync(store, executionId, ct);
                var tokens = await AgentScript.Tracing.RunTokenUsage.ForRunAsync(store, executionId, ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["run"] = JsonShapes.Run(summary.Run),
                        ["event_count"] = summary.EventCount,
                        ["counts_by_level"] = JsonShapes.Counts(summary.CountsByLevel),
                        ["first_event"] = JsonShapes.Time(summary.FirstEvent),
                        ["last_event"] = JsonShapes.Time(summary.LastEvent),
                        ["errors"] = JsonShapes.Array(summary.Errors, JsonShapes.Event),
                        ["learnings"] = JsonShapes.Array(summary.Learnings, JsonShapes.Learning),
                        ["progress"] = JsonShapes.Array(summary.Progress, JsonShapes.Progress),
                        ["final_response"] = JsonShapes.Embedded(summary.FinalResponseJson),
                        ["agent_events"] = JsonShapes.Array(agentEvents, JsonShapes.Event),
                        ["token_usage"] = tokens.Calls == 0 ? null : new JsonObject
                        {
                            ["input_tokens"] = tokens.InputTokens,
                            ["output_tokens"] = tokens.OutputTokens,
                            ["llm_calls"] = tokens.Calls,
                        },
                    });
                    return CliExitCodes.Ok;
                }
                var run = summary.Run;
                var grid = Tables.Create("field", "value");
                grid.Row("execution id", run.ExecutionId);
                grid.Row("script", run.ScriptName);
                grid.Row("mode", run.Mode);
                grid.Row("status", run.Status.ToName());
                grid.Row("started (UTC)", Tables.Time(run.StartTime));
                grid.Row("ended (UTC)", Tables.Time(run.EndTime));
                grid.Row("duration", Tables.Duration(run.DurationMs));
                grid.Row("host / pid", $"{run.Host} / {run.Pid}");
                grid.Row("events", summary.EventCount.ToString(CultureInfo.InvariantCulture));
                grid.Row("by level", string.Join(", ", summary.CountsByLevel.OrderBy(kv => LogLevels.Rank(kv.Key)).Select(kv => $"{kv.Key} {kv.Value}")));
                if (run.Error is { } err)
                {
                    grid.Row("error", $"{err.Type}: {err.Message}");
                }
                if (tokens.Calls > 0)
                {
                    grid.Row("LLM tokens", $"{tokens.InputTokens} input, {tokens.OutputTokens} output in {tokens.Calls} calls");
                }
                if (run.QualityScore is { } q)
                {
                    grid.Row("quality score", Tables.Number(q));
                }
                ctx.Console.Write(grid);
                if (summary.Progress.Count > 0)
                {
                    ctx.Console.Write(new Rule("Progress").LeftJustified());
                    var t = Tables.Create("time (UTC)", "percent", "stage");
                    foreach (var p in summary.Progress)
                    {
                        t.Row(Tables.Time(p.Time), Tables.Number(p.Percent, "0.#") + "%", p.Stage);
                    }
                    ctx.Console.Write(t);
                }
                if (summary.Errors.Count > 0)
                {
                    ctx.Console.Write(new Rule($"Errors ({summary.Errors.Count})").LeftJustified());
                    var t = Tables.Create("time (UTC)", "level", "message", "exception", "event id");
                    foreach (var e in summary.Errors)
                    {
                        t.Row(Tables.Time(e.Timestamp), e.Level, Tables.OneLine(e.Message, 100),
                            e.Exception is { } x ? Tables.OneLine($"{x.Type}: {x.Message}", 80) : "", e.EventId);
                    }
                    ctx.Console.Write(t);
                    ctx.Console.WriteLine($"Context around each error: agentlog errors {run.ExecutionId}");
                }
                if (summary.Learnings.Count > 0)
                {
                    ctx.Console.Write(new Rule("Learnings").LeftJustified());
                    var t = Tables.Create("confidence", "function", "learning");
                    foreach (var l in summary.Learnings)
                    {
                        t.Row(Tables.Number(l.Confidence), l.FunctionName, Tables.OneLine(l.Learning, 140));
                    }
                    ctx.Console.Write(t);
                }
                AgentEventShapes.Write(ctx.Console, agentEvents);
                ctx.Console.Write(new Rule("Final response").LeftJustified());
                ctx.Console.WriteLine(summary.FinalResponseJson is { } fr ? JsonShapes.Embedded(fr)?.ToJsonString(JsonShapes.Indented) ?? "null" : "(none)");
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>The "unknown run" error (exit 1).</summary>
    internal static CliException NotFound(string executionId) =>
        CliException.NotFound($"No run with execution id '{executionId}'. List recent runs with 'agentlog runs'.");
}
