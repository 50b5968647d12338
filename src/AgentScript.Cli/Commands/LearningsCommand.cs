using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog learnings</c>: list learnings.</summary>
internal static class LearningsCommand
{
    public static Command Create(CommandKit kit)
    {
        var text = new Argument<string?>("text") { Description = "Optional words to match (best match first).", Arity = ArgumentArity.ZeroOrOne };
        var executionId = new Option<string?>("--execution-id", "-e") { Description = "Only learnings of this run." };
        var script = new Option<string?>("--script", "-s") { Description = "Only learnings of this script." };
        var function = new Option<string?>("--function", "-f") { Description = "Only learnings about this function." };
        var minConfidence = new Option<double?>("--min-confidence") { Description = "Only learnings with at least this confidence (0–1)." };
        var since = new Option<string?>("--since") { Description = "Only learnings recorded at or after this time (7d, 2h or ISO-8601)." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many (1–1000).", DefaultValueFactory = _ => 50 };
        var command = new Command("learnings",
            "List learnings (insights agents recorded for later runs), newest first — or best match first when words are " +
            "given. Read them before changing a script. Record one with 'agentlog learn'.\n" +
            "Examples:\n  agentlog learnings\n  agentlog learnings retry --min-confidence 0.7\n  agentlog learnings --script hello_agent --json")
        {
            text, executionId, script, function, minConfidence, since, limit,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var query = new LearningQuery
            {
                Text = Blank(r.GetValue(text)),
                ExecutionId = Blank(r.GetValue(executionId)),
                ScriptName = Blank(r.GetValue(script)),
                FunctionName = Blank(r.GetValue(function)),
                MinConfidence = CliParsing.Confidence(r.GetValue(minConfidence), "--min-confidence"),
                Since = CliParsing.Time(r.GetValue(since), "--since", ctx.Now),
                Limit = CliParsing.Positive(r.GetValue(limit), "--limit", 1000),
            };
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var learnings = await store.GetLearningsAsync(query, ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["count"] = learnings.Count,
                        ["learnings"] = JsonShapes.Array(learnings, JsonShapes.Learning),
                    });
                    return CliExitCodes.Ok;
                }
                if (learnings.Count == 0)
                {
                    ctx.Console.WriteLine("No learnings match.");
                    return CliExitCodes.Ok;
                }
                var table = Tables.Create("time (UTC)", "confidence", "script", "function", "learning", "learning id");
                foreach (var l in learnings)
                {
                    table.Row(Tables.Time(l.Timestamp), Tables.Number(l.Confidence), l.ScriptName, l.FunctionName, Tables.OneLine(l.Learning), l.LearningId);
                }
                ctx.Console.Write(table);
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
