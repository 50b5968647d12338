using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog flush</c>: replay the durable buffer into the store.</summary>
internal static class FlushCommand
{
    public static Command Create(CommandKit kit)
    {
        var command = new Command("flush",
            "Replay the durable buffer (writes a script could not store while the store was down, kept in LOG_BUFFER_DIR) " +
            "into the store now, in order and idempotently (nothing is duplicated). Scripts also replay it on their next " +
            "run; use this after fixing the store. Prints what was replayed and what is left.\n" +
            "Examples:\n  agentlog flush\n  agentlog flush --json");
        kit.SetAction(command, async (ctx, _, ct) =>
        {
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var outcome = await ctx.Runtime.FlushAsync(ctx.Options, store, ct)
                    ?? throw CliException.NotFound("This build of agentlog cannot replay the durable buffer; run any script to replay it.");
                if (outcome.RemainingBytes > 0)
                {
                    ctx.Error.WriteLine($"agentlog: {outcome.RemainingBytes} bytes are still in the buffer: the store did not take them. Check it with 'agentlog doctor' and run 'agentlog flush' again.");
                }
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["buffer_directory"] = ctx.Options.BufferDirectory,
                        ["replayed"] = outcome.Replayed,
                        ["remaining_bytes"] = outcome.RemainingBytes,
                        ["dead_lettered"] = outcome.DeadLettered,
                    });
                }
                else
                {
                    ctx.Console.WriteLine($"Replayed {outcome.Replayed} write(s) from {ctx.Options.BufferDirectory}; {outcome.RemainingBytes} bytes left" +
                        (outcome.DeadLettered > 0 ? $", {outcome.DeadLettered} refused by the store (dead-letter file)." : "."));
                }
                return outcome.RemainingBytes == 0 ? CliExitCodes.Ok : CliExitCodes.StoreUnavailable;
            }
        });
        return command;
    }
}
