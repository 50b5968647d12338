using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project tests/AgentScript.Benchmarks -- all [--quick]</c>.
/// Each section stores its result under <c>artifacts/benchmarks/</c>; after any run the doc
/// <c>docs/benchmarks.md</c> is regenerated from the stored results, so a single section can be re-run.
/// </summary>
public static class Program
{
    public static readonly string[] Sections = ["logcall", "ingest", "search", "startup", "generator", "arango", "regression"];

    public static async Task<int> Main(string[] args)
    {
        // Child modes used by harnesses that need a clean process (peak memory, start-up).
        if (args.Length > 0 && args[0] == "ingest-child")
        {
            return await Ingest.IngestChild.RunAsync(args[1..]);
        }
        // The store alone at several batch sizes on fresh and large stores; prints figures, writes no doc.
        if (args.Length > 0 && args[0] == "storeprobe")
        {
            return await Ingest.StoreBatchProbe.RunStandaloneAsync(args[1..]);
        }
        // One section in this process (the parent runs every section this way; see SectionRunner).
        if (args.Length > 1 && args[0] == SectionRunner.ChildVerb)
        {
            return await SectionRunner.RunInThisProcessAsync(args[1], args.Contains("--quick"));
        }
        // What tracing costs: [Traced] call, captured HttpClient call, start-up with capture on (prints, writes no doc).
        if (args.Length > 0 && args[0] == "tracing-probe")
        {
            return await Tracing.TracingProbe.RunAsync(args[1..]);
        }
        // The ingest call pool as a file, for running `ingest-child` by hand (profiling one side).
        if (args.Length > 1 && args[0] == "ingest-pool")
        {
            Ingest.CallPool.Write(args[1], Ingest.IngestChild.ExecutionId);
            return 0;
        }
        if (args.Length > 0 && args[0] == "buffer-probe")
        {
            return await Ingest.BufferProbe.RunAsync(args[1..]);
        }
        // The whole-build share of the generator and analyzers with many rounds (prints every build; writes no doc).
        if (args.Length > 0 && args[0] == "wholebuild-probe")
        {
            return await Generator.WholeBuildProbe.RunAsync(args[1..]);
        }
        // The in-process profile of the generator and analyzers on one generated project (prints; writes no doc).
        if (args.Length > 0 && args[0] == "inprocess-probe")
        {
            return await Generator.InProcessProbe.RunAsync(args[1..]);
        }
        // What a read inside a run adds over an idle pipeline (flush wake-up, one store write); prints one row.
        if (args.Length > 0 && args[0] == "read-probe")
        {
            return await Ingest.InScriptReadProbe.RunAsync(args[1..]);
        }
#if HAS_SINK
        // Focused probe of LogEventMapper.Map (prints a table; the docs are not touched).
        if (args.Length > 0 && args[0] == "map-probe")
        {
            if (args.Contains("--cpu"))
            {
                LogCall.MapperBenchmarks.RunCpu(args.Contains("--quick") ? 50_000 : 100_000);
                return 0;
            }
            return LogCall.MapperBenchmarks.Run(args.Contains("--quick"));
        }
#endif
#if HAS_SINK && HAS_SQLITE_STORE
        // The tight-loop log call and each step an overflowing caller pays, alone (prints a table; for profiling).
        if (args.Length > 0 && args[0] == "tightloop-probe")
        {
            return LogCall.TightLoopProbe.Run(args[1..]);
        }
        // The burst comparison of the log-call section alone (prints the rows; writes no doc).
        if (args.Length > 0 && args[0] == "burst-probe")
        {
            return LogCall.BurstComparison.RunProbe(args[1..]);
        }
#endif

        var quick = args.Contains("--quick");
        var rest = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (rest.Count == 0 || rest.Contains("help") || args.Contains("--help"))
        {
            Console.WriteLine("usage: dotnet run -c Release --project tests/AgentScript.Benchmarks -- <all|docs|" + string.Join("|", Sections) + ">... [--quick]");
            Console.WriteLine("  all       run every section, then regenerate docs/benchmarks.md");
            Console.WriteLine("  docs      regenerate docs/benchmarks.md from stored results only");
            Console.WriteLine("  --quick   short smoke run (smaller data, fewer iterations); the doc marks quick figures");
            return rest.Count == 0 && !args.Contains("--help") ? 2 : 0;
        }

        var unknown = rest.Where(r => r != "all" && r != "docs" && !Sections.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown section(s): {string.Join(", ", unknown)}. Use all, docs or one of: {string.Join(", ", Sections)}.");
            return 2;
        }

        var selected = rest.Contains("all") ? Sections.ToList() : rest.Where(Sections.Contains).Distinct().ToList();
        var command = "dotnet run -c Release --project tests/AgentScript.Benchmarks -- " + string.Join(' ', args);
        var failures = 0;
        foreach (var section in selected)
        {
            Console.WriteLine($"=== {section}{(quick ? " (quick)" : "")} — {DateTime.UtcNow:HH:mm:ss} UTC");
            // Each section runs in its own process: a crash, a hang or a background thread's unhandled exception in one
            // section is reported in the doc and the others still run.
            var result = await SectionRunner.RunIsolatedAsync(section, quick, command);
            if (result.Failed)
            {
                failures++;
            }
            Console.WriteLine(result.Markdown);
            // Regenerate after every section, so a long run that is stopped still leaves a doc with what it measured.
            DocWriter.Write();
        }

        var doc = DocWriter.Write();
        Console.WriteLine($"Wrote {doc}");
        return failures == 0 ? 0 : 1;
    }
}
