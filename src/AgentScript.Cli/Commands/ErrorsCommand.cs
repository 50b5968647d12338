using System.CommandLine;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;
using Spectre.Console;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog errors &lt;execution-id&gt;</c>: errors with context.</summary>
internal static class ErrorsCommand
{
    public static Command Create(CommandKit kit)
    {
        var id = new Argument<string>("execution-id") { Description = "The run's execution id." };
        var context = new Option<string>("--context", "-C")
        {
            Description = "Context around each error: a time span (5s, 500ms, 2m) or a number of events on each side (10).",
            DefaultValueFactory = _ => "5s",
        };
        var stallThreshold = StallThreshold.CreateOption();
        var command = new Command("errors",
            "Show each ERROR/CRITICAL event of a run with the events of the same run around it (default ±5 s), " +
            "to see what led to the error and what happened next, then the run's stalls (gaps in its activity longer " +
            "than --stall-threshold, default 30 s) with the event before and after each gap. Exit code 1 when the run is unknown; a run without " +
            "errors prints an empty list (exit 0).\n" +
            "Examples:\n  agentlog errors <execution-id>\n  agentlog errors <execution-id> --context 10\n  agentlog errors <execution-id> --context 30s --json")
        {
            id, context, stallThreshold,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var executionId = r.GetValue(id)!;
            ContextWindow window;
            try
            {
                window = ContextWindow.Parse(r.GetValue(context)!);
            }
            catch (FormatException e)
            {
                throw CliException.Usage($"{e.Message} (--context)");
            }
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                if (await store.GetRunAsync(executionId, ct) is null)
                {
                    throw ShowCommand.NotFound(executionId);
                }
                var errors = await store.GetErrorsAsync(executionId, window, ct);
                var threshold = StallThreshold.Resolve(ctx, r, stallThreshold);
                var stalls = await RunStalls.FindAsync(store, executionId, threshold, ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["execution_id"] = executionId,
                        ["context"] = window.Time is { } t
                            ? new JsonObject { ["seconds"] = t.TotalSeconds }
                            : new JsonObject { ["events"] = window.Events },
                        ["count"] = errors.Count,
                        ["errors"] = JsonShapes.Array(errors, e => new JsonObject
                        {
                            ["error"] = JsonShapes.Event(e.Error),
                            ["before"] = JsonShapes.Array(e.Before, JsonShapes.Event),
                            ["after"] = JsonShapes.Array(e.After, JsonShapes.Event),
                        }),
                        ["stalls"] = StallShapes.Section(stalls, threshold),
                    });
                    return CliExitCodes.Ok;
                }
                if (errors.Count == 0)
                {
                    ctx.Console.WriteLine($"No errors in {executionId}.");
                    StallShapes.Write(ctx.Console, stalls, threshold);
                    return CliExitCodes.Ok;
                }
                var n = 0;
                foreach (var e in errors)
                {
                    n++;
                    ctx.Console.Write(new Rule($"Error {n} of {errors.Count}: {e.Error.EventId}").LeftJustified());
                    var table = Tables.Create("", "time (UTC)", "level", "function", "message");
                    foreach (var b in e.Before)
                    {
                        table.Row("", Tables.Time(b.Timestamp), b.Level, b.FunctionName, Tables.OneLine(b.Message));
                    }
                    table.Row(">>", Tables.Time(e.Error.Timestamp), e.Error.Level, e.Error.FunctionName, Tables.OneLine(e.Error.Message));
                    if (e.Error.Exception is { } x)
                    {
                        table.Row("", "", "", "", Tables.OneLine($"{x.Type}: {x.Message}"));
                    }
                    foreach (var a in e.After)
                    {
                        table.Row("", Tables.Time(a.Timestamp), a.Level, a.FunctionName, Tables.OneLine(a.Message));
                    }
                    ctx.Console.Write(table);
                }
                StallShapes.Write(ctx.Console, stalls, threshold);
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
