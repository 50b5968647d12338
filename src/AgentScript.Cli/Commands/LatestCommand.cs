using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog latest &lt;script&gt;</c>: the latest final response.</summary>
internal static class LatestCommand
{
    public static Command Create(CommandKit kit)
    {
        var script = new Argument<string?>("script")
        {
            Description = "Script name: prints the final response of its latest successful run.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var executionId = new Option<string?>("--execution-id", "-e") { Description = "Print the final response of this run instead." };
        var raw = new Option<bool>("--raw") { Description = "Print exactly the stored final response (its JSON text as stored, one line) and nothing else — for files and pipes." };
        var command = new Command("latest",
            "Print the final response (the entry's return value) of the latest successful run of a script, or of one run " +
            "with --execution-id, as JSON on stdout — ready for jq or for the next script. With --json the response " +
            "comes wrapped with its run: {execution_id, script_name, mode, status, time, response}. " +
            "With --raw it prints the stored JSON text exactly, byte for byte, with no note on stderr. " +
            "Exit code 1 when there is no such response.\n" +
            "Examples:\n  agentlog latest hello_agent\n  agentlog latest --execution-id <execution-id> --raw > response.json\n  agentlog latest hello_agent --json")
        {
            script, executionId, raw,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var name = r.GetValue(script);
            var id = r.GetValue(executionId);
            if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(id))
            {
                throw CliException.Usage("Give a script name (agentlog latest <script>) or --execution-id <id>.");
            }
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var latest = await store.GetLatestResponseAsync(string.IsNullOrWhiteSpace(name) ? null : name, string.IsNullOrWhiteSpace(id) ? null : id, ct)
                    ?? throw CliException.NotFound(string.IsNullOrWhiteSpace(id)
                        ? $"No successful run of script '{name}' with a final response. Check the name with 'agentlog runs'."
                        : $"No final response for execution id '{id}'. Check it with 'agentlog show {id}'.");
                if (r.GetValue(raw))
                {
                    ctx.Out.WriteLine(latest.ResponseJson);
                }
                else if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["execution_id"] = latest.ExecutionId,
                        ["script_name"] = latest.ScriptName,
                        ["mode"] = latest.Mode,
                        ["status"] = latest.Status.ToName(),
                        ["time"] = JsonShapes.Time(latest.Time),
                        ["response"] = JsonShapes.Embedded(latest.ResponseJson),
                    });
                }
                else
                {
                    ctx.WriteJson(JsonShapes.Embedded(latest.ResponseJson));
                    ctx.Note($"(final response of {latest.ExecutionId}, {latest.Status.ToName()}, {Tables.Time(latest.Time)} UTC)");
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
