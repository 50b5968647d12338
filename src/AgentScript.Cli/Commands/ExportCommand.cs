using System.CommandLine;
using Spectre.Console;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog export</c>: stream events or runs to JSON, JSONL or CSV.</summary>
internal static class ExportCommand
{
    private const int RunPage = 500;

    public static Command Create(CommandKit kit)
    {
        var filters = new EventFilterOptions();
        var text = new Option<string?>("--text") { Description = "Only events whose text matches these words (same rules as search)." };
        var format = new Option<string?>("--format", "-f") { Description = "json (one array), jsonl (one object per line, the default) or csv." };
        format.AcceptOnlyFromAmong("json", "jsonl", "csv");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout (the folder must exist; the file is replaced only when the export succeeds, and is readable by you only)." };
        var runs = new Option<bool>("--runs") { Description = "Export runs (script_runs) instead of events; --script, --execution-id, --since and --until apply to the run's start." };
        var limit = new Option<int?>("--limit", "-n") { Description = "Stop after this many records." };
        var offset = new Option<int>("--offset") { Description = "Skip this many records first.", DefaultValueFactory = _ => 0 };
        var command = new Command("export",
            "Export events (or runs with --runs) to JSON, JSONL or CSV, with the same filters as search. Streams from the " +
            "store to the output, so memory does not grow with the size of the export. Progress is shown on stderr only " +
            "when it is a terminal. With --output, prints a summary (with --json: {kind, format, output, count}); " +
            "without --output the data itself goes to stdout (and --json alone selects --format json).\n" +
            "Examples:\n  agentlog export --execution-id <execution-id> --format csv --output run.csv\n" +
            "  agentlog export --level error --since 7d > errors.jsonl\n  agentlog export --runs --script hello_agent --format json -o runs.json")
        {
            text, format, output, runs, limit, offset,
        };
        filters.AddTo(command);
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var path = LearningsCommand.Blank(r.GetValue(output));
            var fmt = r.GetValue(format) ?? (ctx.Json && path is null ? "json" : "jsonl");
            var max = r.GetValue(limit);
            if (max is { } m)
            {
                CliParsing.Positive(m, "--limit");
            }
            var skip = CliParsing.NotNegative(r.GetValue(offset), "--offset");
            var filter = filters.ToFilter(r, ctx.Now, r.GetValue(text));
            var exportRuns = r.GetValue(runs);
            if (exportRuns && (filter.Level ?? filter.Category ?? filter.Text) is not null)
            {
                throw CliException.Usage("--level, --category and --text filter events; with --runs use --script, --execution-id, --since or --until.");
            }

            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                TextWriter writer;
                string? fullPath = null;
                // A file is written to a temporary file beside it and renamed at the end: a failure leaves no partial file.
                await using var file = path is null ? null : OutputFile.Create(Path.GetFullPath(path, ctx.Settings.WorkingDirectory));
                if (file is null)
                {
                    writer = ctx.Out;
                }
                else
                {
                    fullPath = file.Path;
                    writer = file.Writer;
                }
                long count = 0;
                using (var progress = TerminalProgress.Start(ctx, $"Exporting {(exportRuns ? "runs" : "events")}…"))
                {
                    var sink = new RecordWriter(writer, fmt, exportRuns);
                    sink.Begin();
                    if (exportRuns)
                    {
                        await foreach (var run in RunsAsync(store, filter, ct))
                        {
                            if (skip > 0) { skip--; continue; }
                            if (max is { } lim && count >= lim) { break; }
                            sink.Run(run);
                            progress.Report(++count, "runs");
                        }
                    }
                    else
                    {
                        await foreach (var se in store.StreamEventsAsync(filter, ct))
                        {
                            if (skip > 0) { skip--; continue; }
                            if (max is { } lim && count >= lim) { break; }
                            sink.Event(se);
                            progress.Report(++count, "events");
                        }
                    }
                    sink.End();
                    await writer.FlushAsync(ct);
                }
                if (file is not null)
                {
                    await file.CommitAsync(ct);
                }
                if (fullPath is not null)
                {
                    if (ctx.Json)
                    {
                        ctx.WriteJson(new JsonObject
                        {
                            ["kind"] = exportRuns ? "runs" : "events",
                            ["format"] = fmt,
                            ["output"] = fullPath,
                            ["count"] = count,
                        });
                    }
                    else
                    {
                        ctx.Console.WriteLine($"Exported {count} {(exportRuns ? "run(s)" : "event(s)")} to {fullPath} ({fmt}).");
                    }
                }
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>Runs matching the filter, page by page (newest first), so memory stays flat.</summary>
    private static async IAsyncEnumerable<Model.ScriptRun> RunsAsync(
        Storage.IAgentLogStore store, EventFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (filter.ExecutionId is { } id)
        {
            if (await store.GetRunAsync(id, ct) is { } one && (filter.ScriptName is null || one.ScriptName == filter.ScriptName))
            {
                yield return one;
            }
            yield break;
        }
        for (var offset = 0; ; offset += RunPage)
        {
            var page = await store.ListRunsAsync(new RunQuery { ScriptName = filter.ScriptName, Since = filter.Since, Limit = RunPage, Offset = offset }, ct);
            foreach (var run in page)
            {
                if (filter.Until is null || run.StartTime < filter.Until)
                {
                    yield return run;
                }
            }
            if (page.Count < RunPage)
            {
                yield break;
            }
        }
    }

    /// <summary>Writes records one at a time in the chosen format.</summary>
    private sealed class RecordWriter(TextWriter writer, string format, bool runs)
    {
        private bool _first = true;

        public void Begin()
        {
            if (format == "json")
            {
                writer.Write('[');
            }
            else if (format == "csv")
            {
                CsvWriter.Header(writer, runs ? CsvWriter.RunColumns : CsvWriter.EventColumns);
            }
        }

        public void Event(StreamedEvent se)
        {
            if (format == "csv")
            {
                CsvWriter.Event(writer, se.Position, se.Event);
                return;
            }
            var o = JsonShapes.Event(se.Event);
            o.Insert(0, "position", se.Position);
            Json(o);
        }

        public void Run(Model.ScriptRun run)
        {
            if (format == "csv")
            {
                CsvWriter.Run(writer, run);
                return;
            }
            Json(JsonShapes.Run(run));
        }

        private void Json(JsonNode node)
        {
            if (format == "json")
            {
                writer.Write(_first ? "\n" : ",\n");
            }
            writer.Write(node.ToJsonString(JsonShapes.Compact));
            if (format == "jsonl")
            {
                writer.Write('\n');
            }
            _first = false;
        }

        public void End()
        {
            if (format == "json")
            {
                writer.Write(_first ? "]\n" : "\n]\n");
            }
        }
    }
}
