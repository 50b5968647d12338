using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog search &lt;text&gt;</c>: BM25 full-text search.</summary>
internal static class SearchCommand
{
    public static Command Create(CommandKit kit)
    {
        var text = new Argument<string>("text") { Description = "Words to find (plain words; no query syntax needed). Quote several words." };
        var filters = new EventFilterOptions();
        var limit = new Option<int>("--limit", "-n") { Description = "Hits per page (1–1000).", DefaultValueFactory = _ => 20 };
        var offset = new Option<int>("--offset") { Description = "Hits to skip (paging).", DefaultValueFactory = _ => 0 };
        var exhaustive = new Option<bool>("--exhaustive")
        {
            Description = "Rank every match. By default the SQLite store ranks only the newest 400 matches (fast on a big " +
                "store; the output says when older matches were left out).",
        };
        var command = new Command("search",
            "Full-text search (BM25 ranking, best match first) over event messages, exception text, payloads (final " +
            "responses) and learnings, with filters. Prints time, level, run, score and message. On the SQLite store the " +
            "newest 400 matches are ranked unless --exhaustive is given.\n" +
            "Examples:\n  agentlog search \"connection refused\"\n  agentlog search timeout --level error --since 2d\n" +
            "  agentlog search fetched --execution-id <execution-id> --limit 50 --json")
        {
            text,
        };
        filters.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(offset);
        command.Options.Add(exhaustive);
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var words = r.GetValue(text);
            if (string.IsNullOrWhiteSpace(words))
            {
                throw CliException.Usage("The search text is empty. Give one or more words: agentlog search \"connection refused\".");
            }
            var f = filters.ToFilter(r, ctx.Now);
            var query = new SearchQuery
            {
                Text = words,
                Level = f.Level,
                ScriptName = f.ScriptName,
                ExecutionId = f.ExecutionId,
                Category = f.Category,
                Since = f.Since,
                Until = f.Until,
                Limit = CliParsing.Positive(r.GetValue(limit), "--limit", 1000),
                Offset = CliParsing.NotNegative(r.GetValue(offset), "--offset"),
                Exhaustive = r.GetValue(exhaustive),
            };
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var hits = await store.SearchAsync(query, ct);
                // A store that says nothing about coverage ranks every match.
                var coverage = hits as SearchResults;
                var complete = coverage?.Exhaustive ?? true;
                if (ctx.Json)
                {
                    ctx.WriteJson(new JsonObject
                    {
                        ["query"] = words,
                        ["count"] = hits.Count,
                        ["exhaustive"] = complete,
                        ["matches_ranked"] = coverage?.MatchesRanked,
                        ["searched_since"] = JsonShapes.Time(coverage?.SearchedSince),
                        ["hits"] = JsonShapes.Array(hits, h =>
                        {
                            var o = JsonShapes.Event(h.Event);
                            o.Insert(0, "score", h.Score);
                            return o;
                        }),
                    });
                    return CliExitCodes.Ok;
                }
                if (hits.Count == 0)
                {
                    ctx.Console.WriteLine("No events match.");
                    return CliExitCodes.Ok;
                }
                var table = Tables.Create("time (UTC)", "level", "execution id", "score", "message");
                foreach (var h in hits)
                {
                    table.Row(Tables.Time(h.Event.Timestamp), h.Event.Level, h.Event.ExecutionId, Tables.Number(h.Score, "0.00"),
                        Tables.OneLine(h.Event.Message));
                }
                ctx.Console.Write(table);
                if (!complete)
                {
                    ctx.Console.WriteLine(
                        $"Best of the newest {coverage!.MatchesRanked.ToString("N0", CultureInfo.InvariantCulture)} matches (since {Tables.Time(coverage.SearchedSince)} UTC); older matches were not ranked. Add --exhaustive to rank them all.");
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }
}
