using System.Text;
using AgentScript.Benchmarks.Infrastructure;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>Section 1: BenchmarkDotNet over <see cref="LogCallBenchmarks"/>, turned into a table with ratios.</summary>
public static class LogCallSection
{
    /// <summary>Calls per burst of the burst comparison.</summary>
    public const int BurstCalls = 1_000;

    public static SectionResult Run(RunContext ctx)
    {
        if (File.Exists(LogCallBenchmarks.NotesFile))
        {
            File.Delete(LogCallBenchmarks.NotesFile);
        }

        // In-process toolchain: no per-benchmark project build, so the whole suite stays within minutes.
        // ShortRun-like counts; quick mode cuts them further. The sink's case drains a million and more events into
        // the store in its cleanup, which can pass the toolchain's default limit (5 minutes) on a loaded machine.
        var job = Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(ctx.Quick ? 1 : 3)
            .WithIterationCount(ctx.Quick ? 3 : 10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(ctx.Quick ? 150 : 400));
        var summary = BenchmarkRunner.Run<LogCallBenchmarks>(Config(job));

        // Bursts: the stacks take turns burst by burst in this process (see BurstComparison for why not as
        // BenchmarkDotNet cases one after the other).
#if HAS_SINK && HAS_SQLITE_STORE
        var (burstRows, burstNotes) = BurstComparison.Measure(ctx.Quick ? 20 : 200, warmup: ctx.Quick ? 5 : 20);
#else
        var burstRows = new List<BurstRow>();
        var burstNotes = new List<string>();
#endif
        var burstBaseline = burstRows.FirstOrDefault(r => r.Method == nameof(LogCallBenchmarks.SerilogAsyncFile));
        var burstAgent = burstRows.FirstOrDefault(r => r.Method == "AgentScriptSink");

        var rows = Rows(summary, median: false);

        var baseline = rows.FirstOrDefault(r => r.Method == nameof(LogCallBenchmarks.SerilogAsyncFile));
        var agent = rows.FirstOrDefault(r => r.Method == "AgentScriptSink");
        var sb = new StringBuilder();
        sb.AppendLine("One `Information` call with a three-property template (`Tool {ToolName} finished step {Step} in {ElapsedMs} ms`),");
        sb.AppendLine("inside a run: the execution id is pushed into Serilog's `LogContext` (or a MEL scope with `IncludeScopes`) before");
        sb.AppendLine("the measured calls. BenchmarkDotNet, in-process toolchain, MemoryDiagnoser; " +
                      $"{(ctx.Quick ? "1 warm-up + 3" : "3 warm-up + 10")} iterations. Ratio is against Serilog + Async(File) measured in the same run.");
        sb.AppendLine();
        AppendTable(sb, "Mean", rows, baseline.Ns);
        sb.AppendLine();
        sb.AppendLine($"**Bursts** (`BurstComparison`): the same call {BurstCalls:N0} times per burst, starting with an empty");
        sb.AppendLine("queue; after each burst the sink is drained outside the measurement (Serilog's async queue until empty, the batching");
        sb.AppendLine("sink until its file has the burst, AgentScript's `FlushAsync`). This is an agent script's usual pattern — the log call");
        sb.AppendLine("pays for its enqueue while the writer works beside it. The stacks take turns burst by burst (the first of a round");
        sb.AppendLine($"rotates), {(ctx.Quick ? "5 warm-up + 20" : "20 warm-up + 200")} bursts each; median per call, ± the standard error of the median. Run as");
        sb.AppendLine("BenchmarkDotNet cases one after the other instead, the case measured first paid for the process's warm-up: Serilog +");
        sb.AppendLine("Async(File) measured first cost about 3.5× what it cost between the others, and the ratio said more about the order");
        sb.AppendLine("than the sinks. Bytes per call: the calling thread's own, and every thread's during the bursts (the writers format");
        sb.AppendLine("and map beside the caller).");
        sb.AppendLine();
        sb.AppendLine("| Stack | Median ns/call | ± s.e. | Caller B/call | All threads B/call | Ratio to Serilog + Async(File) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in burstRows)
        {
            var ratio = burstBaseline is { MedianNs: > 0 } b ? r.MedianNs / b.MedianNs : double.NaN;
            sb.AppendLine($"| {r.Name} | {Stats.N(r.MedianNs, "N1")} | {Stats.N(r.StandardError, "N1")} | {r.CallerBytes:N0} | {r.AllBytes:N0} | {Stats.Ratio(ratio)} |");
        }
        sb.AppendLine();
        if (burstNotes.Count > 0)
        {
            Directory.CreateDirectory(RepoPaths.Results);
            File.AppendAllLines(LogCallBenchmarks.NotesFile, burstNotes);
        }
        if (File.Exists(LogCallBenchmarks.NotesFile))
        {
            sb.AppendLine("Notes recorded during the runs:");
            sb.AppendLine();
            foreach (var line in File.ReadAllLines(LogCallBenchmarks.NotesFile).Where(l => l.Length > 0).Distinct())
            {
                sb.AppendLine("- " + line);
            }
            sb.AppendLine();
        }
        sb.AppendLine("What each row pays for: the Serilog async sink only enqueues on the caller's thread and writes the file on a");
        sb.AppendLine("background thread; with its default bounded queue (10,000) and `blockWhenFull: false` it *drops* events when the");
        sb.AppendLine("writer falls behind, which a tight benchmark loop provokes (see the drop count above). ZLogger and MEL rows go");
        sb.AppendLine("through ZLogger's JSON file provider (its own background writer). The AgentScript sink never drops: it enqueues");
        sb.AppendLine("Serilog's event for its background writer (which maps and stores it); when the queue is full — always, in a tight");
        sb.AppendLine("loop — the caller maps its own event and appends it to the durable buffer's overflow lane instead, so the tight-loop");
        sb.AppendLine("row measures that path (with the buffer bound raised to 8 GB: the default 1,000 MB fills in a multi-million-event");
        sb.AppendLine("loop, and the sink then drops, counted, which is not the path measured). The *profile* row times `LogEventMapper.Map`");
        sb.AppendLine("alone on an already captured event (the");
        sb.AppendLine("writer's, or an overflowing caller's, cost per event).");
        sb.AppendLine("Two no-loss Serilog baselines stand beside it: the same async wrapper with `blockWhenFull: true` (the caller waits");
        sb.AppendLine("for room instead of dropping) and Serilog's built-in batching sink (`IBatchedLogEventSink`, queue left unbounded).");
        sb.AppendLine("\"Bytes beyond Serilog's own event\" compares the AgentScript row with the Serilog + Async(File) row (same Serilog event,");
        sb.AppendLine("different sink).");

        var checks = new List<Check>();
        if (agent.Method is null)
        {
            checks.Add(new Check("Log call time vs Serilog + Async(File)", "AgentScript sink not built yet", "≤ 1.0×", null));
            checks.Add(new Check("Bytes/op beyond Serilog's own event", "AgentScript sink not built yet", "≤ 64 B", null));
        }
        else
        {
            if (burstAgent is not null && burstBaseline is { MedianNs: > 0 })
            {
                var burstRatio = burstAgent.MedianNs / burstBaseline.MedianNs;
                checks.Add(new Check("Log call, bursts of 1,000 (queue has room) vs Serilog + Async(File)", $"{Stats.N(burstAgent.MedianNs, "N0")} ns vs {Stats.N(burstBaseline.MedianNs, "N0")} ns = {Stats.Ratio(burstRatio)}", "≤ 1.0×", burstRatio <= 1.0));
                var callerExtra = burstAgent.CallerBytes - burstBaseline.CallerBytes;
                checks.Add(new Check("Bytes per call beyond Serilog's own event (calling thread), bursts", $"{burstAgent.CallerBytes:0} B vs {burstBaseline.CallerBytes:0} B = {callerExtra:+0;-0;0} B", "≤ 64 B", callerExtra <= 64));
                var burstExtra = burstAgent.AllBytes - burstBaseline.AllBytes;
                checks.Add(new Check("Bytes per call beyond Serilog's own event, bursts (all threads: includes the background writer's mapping)", $"{burstAgent.AllBytes:0} B vs {burstBaseline.AllBytes:0} B = {burstExtra:+0;-0;0} B", "≤ 64 B", burstExtra <= 64));
            }
            var ratio = agent.Ns / baseline.Ns;
            checks.Add(new Check("Log call, tight loop (queues saturated) vs Serilog + Async(File)", $"{Stats.N(agent.Ns, "N0")} ns vs {Stats.N(baseline.Ns, "N0")} ns = {Stats.Ratio(ratio)}", "≤ 1.0×", ratio <= 1.0));
            var blocking = rows.FirstOrDefault(r => r.Method == nameof(LogCallBenchmarks.SerilogAsyncFileBlocking));
            if (blocking.Method is not null && blocking.Ns > 0)
            {
                var noLoss = agent.Ns / blocking.Ns;
                checks.Add(new Check("Log call, tight loop vs the no-loss baseline Serilog + Async(File, blockWhenFull: true)", $"{Stats.N(agent.Ns, "N0")} ns vs {Stats.N(blocking.Ns, "N0")} ns = {Stats.Ratio(noLoss)}", "≤ 1.0×", noLoss <= 1.0));
            }
            var extra = agent.Bytes - baseline.Bytes;
            checks.Add(new Check("Bytes/op beyond Serilog's own event, tight loop", $"{agent.Bytes} B vs {baseline.Bytes} B = {extra:+#;-#;0} B", "≤ 64 B", extra <= 64));
        }
        return SectionResult.Create("logcall", Titles.For("logcall"), ctx, sb.ToString(), checks);
    }

    private static void AppendTable(StringBuilder sb, string statistic, List<(string Name, string Method, double Ns, double Err, long Bytes)> rows, double baselineNs)
    {
        sb.AppendLine($"| Stack | {statistic} ns/op | ± s.e. | Bytes/op | Ratio to Serilog + Async(File) |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var ratio = baselineNs > 0 ? r.Ns / baselineNs : double.NaN;
            sb.AppendLine($"| {r.Name} | {Stats.N(r.Ns, "N1")} | {Stats.N(r.Err, "N1")} | {Stats.N(r.Bytes)} | {Stats.Ratio(ratio)} |");
        }
    }

    private static ManualConfig Config(Job job) => ManualConfig.CreateEmpty()
        .AddJob(job)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddLogger(ConsoleLogger.Default)
        .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
        .WithArtifactsPath(Path.Combine(RepoPaths.Root, "artifacts", "BenchmarkDotNet.Artifacts"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);

    private static List<(string Name, string Method, double Ns, double Err, long Bytes)> Rows(BenchmarkDotNet.Reports.Summary summary, bool median) =>
        summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .Select(r => (
                Name: r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
                Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                Ns: median ? r.ResultStatistics!.Median : r.ResultStatistics!.Mean,
                Err: r.ResultStatistics.StandardError,
                Bytes: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? 0))
            .ToList();
}
