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
    public static SectionResult Run(RunContext ctx)
    {
        if (File.Exists(LogCallBenchmarks.NotesFile))
        {
            File.Delete(LogCallBenchmarks.NotesFile);
        }

        // In-process toolchain: no per-benchmark project build, so the whole suite stays within minutes.
        // ShortRun-like counts; quick mode cuts them further.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(ctx.Quick ? 1 : 3)
            .WithIterationCount(ctx.Quick ? 3 : 10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(ctx.Quick ? 150 : 400));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(RepoPaths.Root, "artifacts", "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);

        var summary = BenchmarkRunner.Run<LogCallBenchmarks>(config);

        var rows = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .Select(r => (
                Name: r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
                Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                Ns: r.ResultStatistics!.Mean,
                Err: r.ResultStatistics.StandardError,
                Bytes: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? 0))
            .ToList();

        var baseline = rows.FirstOrDefault(r => r.Method == nameof(LogCallBenchmarks.SerilogAsyncFile));
        var agent = rows.FirstOrDefault(r => r.Method == "AgentScriptSink");
        var sb = new StringBuilder();
        sb.AppendLine("One `Information` call with a three-property template (`Tool {ToolName} finished step {Step} in {ElapsedMs} ms`),");
        sb.AppendLine("inside a run: the execution id is pushed into Serilog's `LogContext` (or a MEL scope with `IncludeScopes`) before");
        sb.AppendLine("the measured calls. BenchmarkDotNet, in-process toolchain, MemoryDiagnoser; " +
                      $"{(ctx.Quick ? "1 warm-up + 3" : "3 warm-up + 10")} iterations. Ratio is against Serilog + Async(File) measured in the same run.");
        sb.AppendLine();
        sb.AppendLine("| Stack | Mean ns/op | ± s.e. | Bytes/op | Ratio to Serilog + Async(File) |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var ratio = baseline.Ns > 0 ? r.Ns / baseline.Ns : double.NaN;
            sb.AppendLine($"| {r.Name} | {Stats.N(r.Ns, "N1")} | {Stats.N(r.Err, "N1")} | {Stats.N(r.Bytes)} | {Stats.Ratio(ratio)} |");
        }
        sb.AppendLine();
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
        sb.AppendLine("through ZLogger's JSON file provider (its own background writer). The AgentScript sink never drops: it converts");
        sb.AppendLine("the event and hands it to its bounded background writer, spilling to the durable buffer when the store lags.");
        sb.AppendLine("The *profile* row times `LogEventMapper.Map` alone on an already captured event: the share of the AgentScript call");
        sb.AppendLine("(time and bytes) spent mapping on the caller's thread rather than on the background writer.");
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
            var ratio = agent.Ns / baseline.Ns;
            checks.Add(new Check("Log call time vs Serilog + Async(File)", $"{Stats.N(agent.Ns, "N0")} ns vs {Stats.N(baseline.Ns, "N0")} ns = {Stats.Ratio(ratio)}", "≤ 1.0×", ratio <= 1.0));
            var extra = agent.Bytes - baseline.Bytes;
            checks.Add(new Check("Bytes/op beyond Serilog's own event", $"{agent.Bytes} B vs {baseline.Bytes} B = {extra:+#;-#;0} B", "≤ 64 B", extra <= 64));
        }
        return SectionResult.Create("logcall", Titles.For("logcall"), ctx, sb.ToString(), checks);
    }
}
