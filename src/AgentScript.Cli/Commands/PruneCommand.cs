using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog prune</c>: delete old data.</summary>
internal static class PruneCommand
{
    public static Command Create(CommandKit kit)
    {
        var olderThan = new Option<string?>("--older-than") { Description = "Delete events (and runs with their relations) older than this: 30d, 12h, 2w." };
        var includeLearnings = new Option<bool>("--include-learnings") { Description = "Also delete the learnings selected by --older-than / --execution-id (kept otherwise: they are the agent's knowledge)." };
        var category = new Option<string?>("--category", "-c") { Description = "Delete only events of this log_category (for example DEBUG or PROGRESS)." };
        var executionIds = new Option<string[]>("--execution-id", "-e")
        {
            Description = "Delete this run and everything of it (repeatable).",
            DefaultValueFactory = _ => [],
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only count what would be deleted." };
        var command = new Command("prune",
            "Delete stored data and print how much went: events, runs, learnings, relations. At least one criterion is " +
            "required; criteria combine with AND. Learnings are kept unless --include-learnings is given (they are the " +
            "agent's knowledge and outlive the runs they came from). Use --dry-run first to see the counts.\n" +
            "Examples:\n  agentlog prune --older-than 30d --dry-run\n  agentlog prune --older-than 7d --category DEBUG\n" +
            "  agentlog prune --execution-id <id1> --execution-id <id2> --json\n  agentlog prune --older-than 90d --include-learnings")
        {
            olderThan, category, executionIds, includeLearnings, dryRun,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var older = r.GetValue(olderThan) is { } o ? CliParsing.Duration(o, "--older-than") : (TimeSpan?)null;
            var cat = LearningsCommand.Blank(r.GetValue(category))?.ToUpperInvariant();
            var ids = (r.GetValue(executionIds) ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToArray();
            if (older is null && cat is null && ids.Length == 0)
            {
                throw CliException.Usage("Nothing selected: give --older-than, --category or --execution-id (add --dry-run to only count).");
            }
            var request = new PruneRequest
            {
                OlderThan = older,
                Category = cat,
                ExecutionIds = ids.Length == 0 ? null : ids,
                IncludeLearnings = r.GetValue(includeLearnings),
                DryRun = r.GetValue(dryRun),
            };
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                PruneResult result;
                using (TerminalProgress.Start(ctx, request.DryRun ? "Counting what would be pruned…" : "Pruning…"))
                {
                    result = await store.PruneAsync(request, ct);
                }
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["dry_run"] = result.DryRun,
                        ["events"] = result.Events,
                        ["runs"] = result.Runs,
                        ["learnings"] = result.Learnings,
                        ["relations"] = result.Relations,
                    });
                    return CliExitCodes.Ok;
                }
                var table = Tables.Create("", result.DryRun ? "would delete" : "deleted");
                table.Row("events", result.Events.ToString(System.Globalization.CultureInfo.InvariantCulture));
                table.Row("runs", result.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture));
                table.Row("learnings", result.Learnings.ToString(System.Globalization.CultureInfo.InvariantCulture));
                table.Row("relations", result.Relations.ToString(System.Globalization.CultureInfo.InvariantCulture));
                ctx.Console.Write(table);
                if (result.DryRun)
                {
                    ctx.Console.WriteLine("Dry run: nothing was deleted. Run again without --dry-run to delete.");
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
