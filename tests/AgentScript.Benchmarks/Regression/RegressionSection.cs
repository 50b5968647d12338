using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentScript.Benchmarks.Infrastructure;
using AgentScript.Benchmarks.Ingest;

namespace AgentScript.Benchmarks.Regression;

/// <summary>
/// Section 7: the current code against the code of a reference commit, measured by the same harness in the same run,
/// rounds alternating. The other sections compare AgentScript with other libraries; this one says whether a figure got
/// worse than before, which figures from different days cannot say on a shared machine whose speed drifts.
/// </summary>
public static class RegressionSection
{
    /// <summary>
    /// The commit of the last benchmark doc before the runtime core was rebuilt into small parts (2026-11-24): the
    /// figures that rebuild had to keep. <c>AGENTSCRIPT_BENCH_REFERENCE</c> picks another commit.
    /// </summary>
    public const string DefaultReference = "62d78f5ab09266f541502b993ff6309fd85a8211";

    private sealed record Metric(string Mode, string Key, string Name, bool HigherIsBetter, Func<double, string> Format);

    private static readonly Metric[] Metrics =
    [
        new("tight", "CallerNsPerCall", "Log call, tight loop: caller time per call", false, v => $"{v:N0} ns"),
        new("tight", "CallerBytesPerCall", "Log call, tight loop: bytes the caller allocates per call", false, v => $"{v:N0} B"),
        new("tight", "AllThreadBytesPerEvent", "Log call, tight loop: bytes all threads allocate per event, until drained", false, v => $"{v:N0} B"),
        new("tight", "EventsPerSecond", "Log call, tight loop: events/s until drained", true, v => $"{v:N0}/s"),
        new("ingest", "EventsPerSecond", "Ingest: events/s until committed", true, v => $"{v:N0}/s"),
        new("ingest", "CpuSeconds", "Ingest: CPU seconds", false, v => $"{v:0.0} s"),
        new("ingest", "PeakWorkingSetBytes", "Ingest: peak working set", false, v => Stats.Mb((long)v)),
        new("ingest", "AllThreadBytesPerEvent", "Ingest: bytes all threads allocate per event", false, v => $"{v:N0} B"),
        new("ingest", "StoreBytesPerEvent", "Ingest: store bytes per event (after FTS optimize and VACUUM)", false, v => $"{v:N0} B"),
        new("ingest", "SearchCommonP50Ms", "Search p50 on the ingested store, common terms", false, v => Stats.Ms(v)),
        new("ingest", "SearchRareP50Ms", "Search p50 on the ingested store, rare terms", false, v => Stats.Ms(v)),
        new("startup", "StartupMs", "Start-up: process start until one event is committed (fresh store)", false, v => Stats.Ms(v)),
    ];

    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var title = Titles.For("regression");
        var commit = Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_REFERENCE") is { Length: > 0 } chosen ? chosen : DefaultReference;
        // Nine rounds: one build's peak working set alone spans 137 to 189 MB from run to run on this machine, and the
        // interval of the median ratio narrows with the rounds.
        var (rounds, tightCalls, ingestEvents) = ctx.Quick ? (1, 50_000, 50_000) : (9, 200_000, 300_000);
        ReferenceBuild build;
        try
        {
            build = await ReferenceBuild.CreateAsync(commit);
        }
        catch (InvalidOperationException e)
        {
            // A shallow clone has no older commit; say so instead of failing the whole run.
            return SectionResult.Create("regression", title, ctx,
                $"Not measured: the reference commit `{commit[..Math.Min(10, commit.Length)]}` could not be built here ({e.Message.ReplaceLineEndings(" ")}).\n",
                [new Check($"Figures against commit {Short(commit)}", "not measured", "no figure worse", null)]);
        }
        using (build)
        {
            var pool = Path.Combine(build.Scratch, "pool.jsonl");
            CallPool.Write(pool, IngestChild.ExecutionId);
            var rows = new List<(int Round, string Side, Dictionary<string, Dictionary<string, double>> Modes)>();
            var errors = new List<string>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which side goes first, so drift on a shared machine hits both alike.
                var sides = round % 2 == 0 ? new[] { "reference", "current" } : ["current", "reference"];
                var measured = new Dictionary<string, Dictionary<string, Dictionary<string, double>?>>();
                foreach (var side in sides)
                {
                    var dll = side == "current" ? build.CurrentHarness : build.ReferenceHarness;
                    measured[side] = new()
                    {
                        ["startup"] = await StartupAsync(dll, build.Scratch, errors, side),
                        ["tight"] = await RunHarnessAsync(dll, build.Scratch, errors, side, "tight", tightCalls.ToString(CultureInfo.InvariantCulture)),
                        ["ingest"] = await RunHarnessAsync(dll, build.Scratch, errors, side, "ingest", ingestEvents.ToString(CultureInfo.InvariantCulture), pool),
                    };
                }
                foreach (var (side, modes) in measured)
                {
                    // A failed measurement leaves its mode out of the round; the other modes still pair.
                    rows.Add((round, side, modes.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!)));
                }
            }
            return Report(ctx, title, commit, rounds, tightCalls, ingestEvents, rows, errors);
        }
    }

    private static SectionResult Report(RunContext ctx, string title, string commit, int rounds, int tightCalls, int ingestEvents,
        List<(int Round, string Side, Dictionary<string, Dictionary<string, double>> Modes)> rows, List<string> errors)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"The current code against commit `{Short(commit)}` (the code of the previous benchmark doc, before the runtime core");
        sb.AppendLine("was rebuilt into small parts), measured by one harness (`tests/AgentScript.Benchmarks.Regression`, public API only:");
        sb.AppendLine("`WriteTo.AgentStore()` configured from the environment, `AgentLog.SearchAsync`) compiled against each side's library.");
        sb.AppendLine($"{rounds} round(s), each side in its own process per measurement, the side that goes first alternating: a tight loop of");
        sb.AppendLine($"{tightCalls:N0} three-property calls after 20,000 warm-up calls (the queue overflows into the durable buffer), then the");
        sb.AppendLine($"logger disposed (every event committed); the ingest benchmark's pool of realistic calls, {ingestEvents:N0} events until");
        sb.AppendLine("committed, then 20 common and 20 rare one-term BM25 searches of the result, three times each; the store's size is");
        sb.AppendLine("taken after FTS `optimize` and `VACUUM` (as written, the layout follows where batches split); and the start-up, the time from");
        sb.AppendLine("the process's start until a logger writing to a fresh store has committed one event (per side and round the median");
        sb.AppendLine($"of {StartupsPerRound} processes). Every run's rows are counted in its store. Ratio = current / reference per round");
        sb.AppendLine("(paired); the table gives each side's median, the median ratio with its 90 % bootstrap interval, and every round's");
        sb.AppendLine("ratio. Worse means worse beyond this machine's noise: the");
        sb.AppendLine("whole interval above 1.0 where lower is better (below 1.0 for rates). Two runs of one build differ by several percent");
        sb.AppendLine("in peak working set and CPU time, and by a few pages in store size, so a median ratio a hair over 1.0 says nothing.");
        sb.AppendLine();
        sb.AppendLine("| Measure | Reference (median) | Current (median) | Current / reference (median) | 90 % interval | Rounds' ratios |");
        sb.AppendLine("|---|---:|---:|---:|---|---|");
        var checks = new List<Check>();
        foreach (var metric in Metrics)
        {
            var ratios = new List<double>();
            var reference = new List<double>();
            var current = new List<double>();
            foreach (var round in rows.GroupBy(r => r.Round))
            {
                double? Value(string side) => round.FirstOrDefault(r => r.Side == side) is { Side: not null } r
                    && r.Modes.TryGetValue(metric.Mode, out var mode) && mode.TryGetValue(metric.Key, out var v) ? v : null;
                if (Value("reference") is { } a && Value("current") is { } b && a > 0)
                {
                    reference.Add(a);
                    current.Add(b);
                    ratios.Add(b / a);
                }
            }
            if (ratios.Count == 0)
            {
                checks.Add(new Check(metric.Name + $" vs {Short(commit)}", "not measured", "no worse", null));
                continue;
            }
            var ratio = Stats.Median(ratios);
            var (low, high) = Stats.BootstrapInterval(ratios, Stats.Median);
            var met = metric.HigherIsBetter ? high >= 1.0 : low <= 1.0;
            var interval = $"{low:0.00}–{high:0.00}×";
            var range = string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture) + "×"));
            sb.AppendLine($"| {metric.Name} | {metric.Format(Stats.Median(reference))} | {metric.Format(Stats.Median(current))} | {ratio:0.00}× | {interval} | {range} |");
            checks.Add(new Check($"{metric.Name}, current vs {Short(commit)}",
                $"{metric.Format(Stats.Median(current))} vs {metric.Format(Stats.Median(reference))} = {ratio:0.00}× (90 % interval {interval})",
                metric.HigherIsBetter ? "no worse: interval reaches ≥ 1.0×" : "no worse: interval reaches ≤ 1.0×", met));
        }
        sb.AppendLine();
        foreach (var e in errors)
        {
            sb.AppendLine($"- error: {e}");
        }
        return SectionResult.Create("regression", title, ctx, sb.ToString(), checks);
    }

    private static string Short(string commit) => commit[..Math.Min(7, commit.Length)];

    /// <summary>
    /// The start-up measure of a round: the median of <see cref="StartupsPerRound"/> processes. One start-up is a third of
    /// a second, and one process alone is scattered by whatever else the shared machine does in that moment.
    /// </summary>
    private static async Task<Dictionary<string, double>?> StartupAsync(string dll, string scratch, List<string> errors, string side)
    {
        var runs = new List<Dictionary<string, double>>();
        for (var i = 0; i < StartupsPerRound; i++)
        {
            if (await RunHarnessAsync(dll, scratch, errors, side, "startup") is { } run)
            {
                runs.Add(run);
            }
        }
        return runs.Count == 0 ? null : runs.OrderBy(r => r["StartupMs"]).ElementAt(runs.Count / 2);
    }

    private const int StartupsPerRound = 5;

    /// <summary>One harness process in a fresh store; null (and an error line) when it fails or loses rows.</summary>
    private static async Task<Dictionary<string, double>?> RunHarnessAsync(string dll, string scratch, List<string> errors, string side, params string[] args)
    {
        var dir = Path.Combine(scratch, $"{side}-{args[0]}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(dll);
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["AGENTSCRIPT_STORE"] = "sqlite:" + Path.Combine(dir, "agentlog.db");
            psi.Environment["LOG_BUFFER_DIR"] = Path.Combine(dir, "buffer");
            // A tight loop of many events would fill the default 1,000 MB buffer, and the sink then drops (counted).
            psi.Environment["LOG_MAX_BUFFER_SIZE_MB"] = "8192";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = (await stdout).Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
            {
                var error = (await stderr).Trim().ReplaceLineEndings(" ");
                errors.Add($"{side} {args[0]}: exit {process.ExitCode}, {error[..Math.Min(300, error.Length)]}");
                return null;
            }
            var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line["RESULT ".Length..])!
                .Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Key, p => p.Value.GetDouble());
            if (values["MissingRows"] != 0)
            {
                errors.Add($"{side} {args[0]}: {values["MissingRows"]:N0} logged events missing from the store");
                return null;
            }
            Console.WriteLine($"  {side,-9} {args[0],-6} {line[7..Math.Min(line.Length, 160)]}");
            return values;
        }
        finally
        {
            RunContext.TryDelete(dir);
        }
    }
}
