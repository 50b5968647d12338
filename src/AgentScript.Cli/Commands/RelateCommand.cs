using System.CommandLine;
using Spectre.Console;
using System.Text.RegularExpressions;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog relate &lt;from&gt; &lt;to&gt;</c>: create a relation.</summary>
internal static partial class RelateCommand
{
    /// <summary>Shortest rationale accepted when an agent creates a relation (a relation without its reason is useless to the next agent).</summary>
    internal const int MinRationaleLength = 50;

    private static readonly string[] Collections = ["log_events/", "script_runs/", "agent_learnings/"];

    public static Command Create(CommandKit kit)
    {
        var from = new Argument<string>("from") { Description = "Source: log_events/<event-id>, script_runs/<execution-id>, agent_learnings/<learning-id>, or a bare execution id." };
        var to = new Argument<string>("to") { Description = "Target, in the same forms." };
        var type = new Option<string>("--type", "-t")
        {
            Description = "Relation type: CAUSED_BY, FOLLOWED_BY, FIXED_BY, RESOLVED_BY, RELATED_TO or another upper-case word.",
            DefaultValueFactory = _ => RelationTypes.RelatedTo,
        };
        var rationale = new Option<string?>("--rationale", "-r") { Description = $"Why the relation holds — at least {MinRationaleLength} characters, specific enough for a later reader." };
        var confidence = new Option<double>("--confidence") { Description = "How sure you are, 0–1.", DefaultValueFactory = _ => 1.0 };
        var createdBy = new Option<string>("--created-by") { Description = "Who makes the relation.", DefaultValueFactory = _ => "agent" };
        var validFrom = new Option<string?>("--valid-from") { Description = "Start of validity (ISO-8601 or a duration back from now); default now." };
        var validTo = new Option<string?>("--valid-to") { Description = "End of validity (ISO-8601 or a duration back from now); default open." };
        var command = new Command("relate",
            "Create a typed relation between two stored things (events, runs, learnings) — for example that a later run " +
            "FIXED_BY an error, or that an error was CAUSED_BY another. Relations show up in 'agentlog graph'.\n" +
            $"A rationale of at least {MinRationaleLength} characters is required.\n" +
            "Examples:\n  agentlog relate log_events/<error-event-id> script_runs/<fixing-run-id> --type FIXED_BY \\\n" +
            "    --rationale \"Run 2 retried the download with backoff, which removed the timeout seen in run 1\" --confidence 0.9")
        {
            from, to, type, rationale, confidence, createdBy, validFrom, validTo,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var relationType = (r.GetValue(type) ?? "").Trim().ToUpperInvariant();
            if (!TypePattern().IsMatch(relationType))
            {
                throw CliException.Usage($"Invalid --type '{r.GetValue(type)}'. Use an upper-case word such as CAUSED_BY, FIXED_BY or RELATED_TO.");
            }
            var why = r.GetValue(rationale)?.Trim();
            if (string.IsNullOrEmpty(why) || why.Length < MinRationaleLength)
            {
                throw CliException.Usage(
                    $"--rationale must be at least {MinRationaleLength} characters (got {why?.Length ?? 0}): say why the relation holds, specifically enough for a later reader.");
            }
            var conf = CliParsing.Confidence(r.GetValue(confidence), "--confidence")!.Value;
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var relation = new LogRelation
                {
                    RelationId = EventIds.New(),
                    From = await ResolveAsync(store, r.GetValue(from)!, "from", ct),
                    To = await ResolveAsync(store, r.GetValue(to)!, "to", ct),
                    Type = relationType,
                    Rationale = why,
                    Confidence = conf,
                    CreatedBy = r.GetValue(createdBy),
                    CreatedAt = ctx.Now,
                    ValidFrom = CliParsing.Time(r.GetValue(validFrom), "--valid-from", ctx.Now) ?? ctx.Now,
                    ValidTo = CliParsing.Time(r.GetValue(validTo), "--valid-to", ctx.Now),
                };
                var outcome = await store.WriteAsync([new RelationWrite(relation)], ct);
                if (outcome.Rejected.Count > 0)
                {
                    throw new CliException(CliExitCodes.NotFound, $"The store refused the relation: {outcome.Rejected[0].Reason}");
                }
                if (ctx.Json)
                {
                    ctx.WriteJson(JsonShapes.Relation(relation));
                }
                else
                {
                    ctx.Console.WriteLine($"Created relation {relation.RelationId}: {relation.From} -[{relation.Type}]-> {relation.To}.");
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    private static async Task<string> ResolveAsync(IAgentLogStore store, string handle, string which, CancellationToken ct)
    {
        handle = handle.Trim();
        if (handle.Contains('/'))
        {
            if (!Collections.Any(c => handle.StartsWith(c, StringComparison.Ordinal) && handle.Length > c.Length))
            {
                throw CliException.Usage(
                    $"Invalid <{which}> '{handle}'. Use log_events/<event-id>, script_runs/<execution-id> or agent_learnings/<learning-id>.");
            }
            if (handle.StartsWith("script_runs/", StringComparison.Ordinal) && await store.GetRunAsync(handle["script_runs/".Length..], ct) is null)
            {
                throw CliException.NotFound($"No run '{handle["script_runs/".Length..]}' for <{which}>. List runs with 'agentlog runs'.");
            }
            return handle;
        }
        if (await store.GetRunAsync(handle, ct) is not null)
        {
            return "script_runs/" + handle;
        }
        throw CliException.NotFound(
            $"'{handle}' (<{which}>) is not a known execution id. For events and learnings use log_events/<event-id> or agent_learnings/<learning-id>.");
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}$")]
    private static partial Regex TypePattern();
}
