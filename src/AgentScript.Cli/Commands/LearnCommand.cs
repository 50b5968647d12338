using System.CommandLine;
using Spectre.Console;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog learn &lt;text&gt;</c>: record a learning.</summary>
internal static class LearnCommand
{
    public static Command Create(CommandKit kit)
    {
        var text = new Argument<string>("text") { Description = "The learning: what you found out, stated so a later run can act on it." };
        var executionId = new Option<string?>("--execution-id", "-e") { Description = "The run it came from (must exist; its script is recorded too)." };
        var script = new Option<string?>("--script", "-s") { Description = "The script it is about (taken from the run when --execution-id is given)." };
        var function = new Option<string?>("--function", "-f") { Description = "The function it is about." };
        var context = new Option<string?>("--context") { Description = "What was tried, inputs, conditions." };
        var confidence = new Option<double>("--confidence") { Description = "How sure you are, 0–1.", DefaultValueFactory = _ => 0.8 };
        var command = new Command("learn",
            "Record a learning (an insight for later runs) in the store. Prints its learning id.\n" +
            "Examples:\n  agentlog learn \"The API rate-limits after 10 calls per second; batch requests\" --execution-id <execution-id> --function FetchAll --confidence 0.9\n" +
            "  agentlog learn \"Use UTC timestamps in file names\" --script hello_agent --json")
        {
            text, executionId, script, function, context, confidence,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var learning = r.GetValue(text);
            if (string.IsNullOrWhiteSpace(learning))
            {
                throw CliException.Usage("The learning text is empty. Say what was learned: agentlog learn \"...\".");
            }
            var conf = CliParsing.Confidence(r.GetValue(confidence), "--confidence")!.Value;
            var id = LearningsCommand.Blank(r.GetValue(executionId));
            var scriptName = LearningsCommand.Blank(r.GetValue(script));
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                if (id is not null)
                {
                    var run = await store.GetRunAsync(id, ct)
                        ?? throw CliException.NotFound($"No run with execution id '{id}'. Check it with 'agentlog runs', or leave out --execution-id.");
                    scriptName ??= run.ScriptName;
                }
                var record = new AgentLearning
                {
                    LearningId = EventIds.New(),
                    Timestamp = ctx.Now,
                    Learning = learning.Trim(),
                    ExecutionId = id,
                    ScriptName = scriptName,
                    FunctionName = LearningsCommand.Blank(r.GetValue(function)),
                    Context = LearningsCommand.Blank(r.GetValue(context)),
                    Confidence = conf,
                };
                var outcome = await store.WriteAsync([new LearningWrite(record)], ct);
                if (outcome.Rejected.Count > 0)
                {
                    throw new CliException(CliExitCodes.NotFound, $"The store refused the learning: {outcome.Rejected[0].Reason}");
                }
                if (ctx.Json)
                {
                    ctx.WriteJson(JsonShapes.Learning(record));
                }
                else
                {
                    ctx.Console.WriteLine($"Recorded learning {record.LearningId}.");
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
