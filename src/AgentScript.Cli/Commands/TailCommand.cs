using System.CommandLine;
using Spectre.Console;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog tail</c>: the latest events, and new ones as they arrive with --follow.</summary>
internal static class TailCommand
{
    public static Command Create(CommandKit kit)
    {
        var filters = new EventFilterOptions();
        var text = new Option<string?>("--text") { Description = "Only events whose text matches these words." };
        var lines = new Option<int>("--lines", "-n") { Description = "How many of the latest matching events to show first (0 = none).", DefaultValueFactory = _ => 10 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running and print new events as they are stored, for --for (an agent or script always gives --for; without it, until interrupted)." };
        var interval = new Option<string>("--interval") { Description = "How often to poll the store with --follow.", DefaultValueFactory = _ => "1s" };
        var forDuration = new Option<string?>("--for") { Description = "Stop following after this long (for example 30s) — handy for agents and scripts." };
        var stallThreshold = StallThreshold.CreateOption();
        var command = new Command("tail",
            "Print the latest events (oldest first), like tail; with --follow keep printing new events as scripts store " +
            "them, like tail -f, for as long as --for says (for example --for 60s; it then ends with exit 0). Without --for it " +
            "follows until interrupted (Ctrl+C in a terminal, SIGINT/SIGTERM otherwise; also exit 0), so agents and " +
            "scripts always give --for. Same filters as search. With --json each event is one " +
            "JSON object per line (JSONL) with its stream position. While following, a running run that has logged nothing for " +
            "longer than --stall-threshold (default 30 s) is flagged once (a '!!' line; JSON: a quiet_run object).\n" +
            "Examples:\n  agentlog tail\n  agentlog tail --follow --for 30s --level warning\n  agentlog tail -f --script hello_agent --for 60s --json")
        {
            text, lines, follow, interval, forDuration, stallThreshold,
        };
        filters.AddTo(command);
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var n = CliParsing.NotNegative(r.GetValue(lines), "--lines");
            var poll = CliParsing.Duration(r.GetValue(interval)!, "--interval");
            if (poll <= TimeSpan.Zero)
            {
                throw CliException.Usage("--interval must be more than 0, for example 1s or 500ms.");
            }
            var stopAfter = r.GetValue(forDuration) is { } f ? CliParsing.Duration(f, "--for") : (TimeSpan?)null;
            var filter = filters.ToFilter(r, ctx.Now, r.GetValue(text));
            var quiet = new QuietRunWatch(StallThreshold.Resolve(ctx, r, stallThreshold));
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                // The latest N events, kept in a ring of N so memory stays O(N). Where the store can tell its
                // newest position (SQLite rowid), only a growing window at the end is read, not the whole store.
                var ring = new Queue<StreamedEvent>(Math.Min(n, 10_000));
                var tailWindow = TailWindow.For(store.Kind);
                long last = 0;
                try
                {
                    var top = await NewestPositionAsync(store, ct);
                    if (top is { } max && n == 0)
                    {
                        last = max;
                    }
                    else
                    {
                        var window = top is null ? long.MaxValue : Math.Max(4L * n, 1000);
                        while (true)
                        {
                            var start = top is { } t && t - window > 0 ? t - window : 0;
                            ring.Clear();
                            await foreach (var se in store.StreamEventsAsync(start > 0 ? filter with { AfterPosition = start } : filter, ct))
                            {
                                last = Math.Max(last, se.Position);
                                tailWindow.Accept(se);
                                if (n == 0)
                                {
                                    continue;
                                }
                                if (ring.Count == n)
                                {
                                    ring.Dequeue();
                                }
                                ring.Enqueue(se);
                            }
                            if (ring.Count >= n || start == 0)
                            {
                                break;
                            }
                            window = window > long.MaxValue / 8 ? long.MaxValue : window * 8;
                        }
                        last = Math.Max(last, top ?? 0);
                    }
                    foreach (var se in ring)
                    {
                        Print(ctx, se);
                        quiet.Observe(se.Event);
                    }
                    await ctx.Out.FlushAsync(ct);
                    if (!r.GetValue(follow))
                    {
                        return CliExitCodes.Ok;
                    }
                    using var timer = stopAfter is { } s ? new CancellationTokenSource(s) : new CancellationTokenSource();
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
                    tailWindow.Skip(last);
                    while (!linked.IsCancellationRequested)
                    {
                        await foreach (var se in store.StreamEventsAsync(filter with { AfterPosition = tailWindow.ReadAfter }, linked.Token))
                        {
                            if (tailWindow.Accept(se))
                            {
                                Print(ctx, se);
                                quiet.Observe(se.Event);
                            }
                        }
                        tailWindow.Trim();
                        await quiet.CheckAsync(ctx, store, linked.Token);
                        await ctx.Out.FlushAsync(linked.Token);
                        await Task.Delay(poll, linked.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or --for elapsed: a normal end of tail.
                }
                await ctx.Out.FlushAsync(CancellationToken.None);
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>The newest stream position, when the store can tell it cheaply (SQLite: the largest rowid).</summary>
    private static async Task<long?> NewestPositionAsync(Storage.IAgentLogStore store, CancellationToken ct)
    {
        if (store.Kind != "sqlite")
        {
            return null;
        }
        try
        {
            var result = await store.QueryAsync("SELECT max(id) AS m FROM log_events", cancellationToken: ct);
            return result.Rows.Count == 1 && result.Rows[0].Count == 1 && result.Rows[0][0] is { } v
                ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }
        catch (Storage.StoreQueryException)
        {
            return null; // a schema without the column: fall back to a full pass
        }
    }

    private static void Print(CliContext ctx, StreamedEvent se)
    {
        var e = se.Event;
        if (ctx.Json)
        {
            var o = JsonShapes.Event(e);
            o.Insert(0, "position", se.Position);
            ctx.Out.WriteLine(o.ToJsonString(JsonShapes.Compact));
            return;
        }
        var line = $"{Tables.Time(e.Timestamp)} {e.Level,-8} {e.ExecutionId ?? "-"} {e.Message.ReplaceLineEndings(" ")}";
        if (e.Exception is { } x)
        {
            line += $" [{x.Type}: {x.Message.ReplaceLineEndings(" ")}]";
        }
        ctx.Out.WriteLine(line);
    }
}
