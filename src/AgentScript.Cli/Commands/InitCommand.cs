using System.CommandLine;
using Spectre.Console;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog init</c>: create or verify the store's schema.</summary>
internal static class InitCommand
{
    public static Command Create(CommandKit kit)
    {
        var command = new Command("init",
            "Create or verify the store's schema (safe to run any number of times) and print what exists: " +
            "store kind, location, schema version and the number of rows per table.\n" +
            "Examples:\n  agentlog init\n  AGENTSCRIPT_STORE=sqlite:./logs.db agentlog init --json");
        kit.SetAction(command, async (ctx, _, ct) =>
        {
            var (store, info) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                if (ctx.Json)
                {
                    ctx.WriteJson(JsonShapes.StoreInfo(info));
                    return CliExitCodes.Ok;
                }
                ctx.Console.WriteLine($"{(info.Created ? "Created" : "Verified")} {info.Kind} store at {info.Location} (schema version {info.SchemaVersion}).");
                var table = Tables.Create("table", "rows");
                foreach (var (name, count) in info.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    table.Row(name, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                ctx.Console.Write(table);
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
