// Job: agentlog diff <run-a> <run-b> — what changed from one run to another.
using System.CommandLine;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog diff &lt;run-a&gt; &lt;run-b&gt;</c>.</summary>
internal static class DiffCommand
{
    public static Command Create(CommandKit kit)
    {
        var a = new Argument<string>("run-a") { Description = "The baseline run's execution id (e.g. the failed run)." };
        var b = new Argument<string>("run-b") { Description = "The run to compare with it (e.g. the fixed run)." };
        var command = new Command("diff",
            "Compare two runs: status and duration change, the final responses as JSON (paths added, removed or changed, " +
            "with values), events per level, error types that appeared or disappeared, the spans whose duration changed " +
            "most and the learnings recorded in between. Typical: the fixed debug run against the failed one, or debug " +
            "against working. Exit code 1 when a run is unknown.\n" +
            "Examples:\n  agentlog diff <failed-run> <fixed-run>\n  agentlog diff <run-a> <run-b> --json")
        {
            a, b,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                RunDiff diff;
                try
                {
                    diff = await RunDiffer.DiffAsync(store, r.GetValue(a)!, r.GetValue(b)!, ct);
                }
                catch (KeyNotFoundException e)
                {
                    throw CliException.NotFound(e.Message);
                }
                if (ctx.Json)
                {
                    ctx.WriteJson(RunDiffShapes.Json(diff));
                    return CliExitCodes.Ok;
                }
                foreach (var line in RunDiffShapes.Text(diff, ctx.Console.Profile.Width))
                {
                    ctx.Out.WriteLine(line);
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
