using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using AgentScript.Benchmarks.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Benchmarks.Generator;

/// <summary>
/// Section 5: what the generator and analyzers cost a build. The target is measured as a whole <c>dotnet build</c> with vs
/// without them, alternating in one run (<see cref="WholeBuild"/>), on the sample and a 200-file project; then, finer and
/// in-process, Roslyn's own timing and analyzer telemetry; and a caching proof after an unrelated edit.
/// </summary>
public static class GeneratorSection
{
    internal static readonly CSharpParseOptions Parse = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Preview)
        .WithFeatures([new("InterceptorsNamespaces", "AgentScript.Generated")]);

    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var sb = new StringBuilder();
        var checks = new List<Check>();
        var analyzers = Analyzers();
        var references = References();
        var reps = ctx.Quick ? 2 : 5;

        var sampleDir = Path.Combine(RepoPaths.Root, "samples", "HelloAgent");
        var sampleFiles = Directory.Exists(sampleDir)
            ? Directory.GetFiles(sampleDir, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
                .Select(f => (Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f))).ToList()
            : [("HelloAgent.cs (built-in stand-in: samples/HelloAgent not in this build)", SyntheticProject.FallbackSample)];

        var projects = new List<(string Name, List<(string Path, string Text)> Files)>
        {
            ("sample (" + string.Join(", ", sampleFiles.Select(f => f.Item1)) + ")", sampleFiles),
            ("generated 200-file project", SyntheticProject.Generate(200)),
        };

        // ---- whole `dotnet build`, with vs without, alternating (the target is measured here) -------------------
        var buildRounds = ctx.Quick ? 3 : 16;
        var warmupRounds = ctx.Quick ? 1 : 15;
        sb.AppendLine($"**Whole `dotnet build --no-restore`** (with the compiler server, as a user has it by default): {warmupRounds} warm-up rounds, then {buildRounds} measured");
        sb.AppendLine("rounds, each building both variants in alternating order after touching one file. *With* = the project with the AgentScript");
        sb.AppendLine("generator and analyzers; *without* = the same project without them, compiling the generated sources from a first build as");
        sb.AppendLine("ordinary files (the same program). **Share** = median over the rounds of (with − without), over the median without: the two");
        sb.AppendLine("builds of a round run next to each other, so load that changes over minutes cancels out of the difference; this is the");
        sb.AppendLine("target figure, with a 90 % bootstrap interval of that median in brackets (how much the noise of this run leaves open).");
        sb.AppendLine("Median share = median(with) / median(without) − 1; best-of share = min(with) / min(without) − 1 (load only ever adds");
        sb.AppendLine("time). *Csc* = the compiler task's time in MSBuild's performance summary. Spread = (p90 − p10) / median of the *without*");
        sb.AppendLine("builds. Warm-up rounds are left out because a compiler server that has just started is still JIT-compiling Roslyn's own");
        sb.AppendLine("code, tier by tier, for about its first 30 builds — more of it in the builds with the generator and analyzers (their driver");
        sb.AppendLine("code over the generator's own types); their paired share (the first round left out) is shown apart.");
        sb.AppendLine();
        sb.AppendLine("| Project | Files | Wall without | Wall with | Share (paired, wall) | Median share (wall / Csc) | Share (paired, Csc) | Best-of share (wall / Csc) | Spread (wall / Csc) | Warm-up share (wall) | Target |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var reports = new List<(string Name, List<List<string>> Builds, double WallWithout, bool Large)>();
        foreach (var (name, files) in projects)
        {
            var b = await WholeBuild.MeasureAsync(name, files, buildRounds, warmupRounds: warmupRounds);
            var label = files.Count >= 200 ? "200-file project" : "sample";
            if (b.Errors.Count > 0 || b.WallWith.Count == 0 || b.WallWithout.Count == 0)
            {
                sb.AppendLine($"| {name} | {files.Count} | failed: {string.Join("; ", b.Errors.Take(2)).Replace("|", "/")} | | | | | | | | ≤ 5 % |");
                checks.Add(new Check($"Whole build share, {label}", "build failed", "≤ 5 % of build", false));
                continue;
            }
            double P(List<double> v, double p) => Stats.Percentile(v, p);
            var (paired, low, high) = WholeBuild.PairedShare(b.WallWith, b.WallWithout);
            var pairedCsc = WholeBuild.PairedShare(b.CscWith, b.CscWithout).Share;
            var wallShare = Stats.Median(b.WallWith) / Stats.Median(b.WallWithout) - 1;
            var cscShare = Stats.Median(b.CscWith) / Stats.Median(b.CscWithout) - 1;
            var spreadWall = (P(b.WallWithout, 90) - P(b.WallWithout, 10)) / P(b.WallWithout, 50);
            var spreadCsc = (P(b.CscWithout, 90) - P(b.CscWithout, 10)) / P(b.CscWithout, 50);
            var bestWall = b.WallWith.Min() / b.WallWithout.Min() - 1;
            var bestCsc = b.CscWith.Min() / b.CscWithout.Min() - 1;
            var warm = b.WarmupWallWith.Count == 0 ? "n/a" : $"{WholeBuild.PairedShare(b.WarmupWallWith, b.WarmupWallWithout).Share:P1} ({b.WarmupWallWith.Count} rounds)";
            var interval = $"{low:P1} … {high:P1}";
            sb.AppendLine($"| {name} | {files.Count} | {Stats.Ms(Stats.Median(b.WallWithout))} | {Stats.Ms(Stats.Median(b.WallWith))} | **{paired:P1}** ({interval}) | {wallShare:P1} / {cscShare:P1} | {pairedCsc:P1} | {bestWall:P1} / {bestCsc:P1} | ±{spreadWall / 2:P0} / ±{spreadCsc / 2:P0} | {warm} | ≤ 5 % |");
            // Printed as soon as it is known: a section stopped at its time limit still leaves these figures in the log.
            Console.Error.WriteLine($"whole build, {name}: paired share wall {paired:P1} ({interval}), Csc {pairedCsc:P1}; median share {wallShare:P1} / {cscShare:P1}; best of each {bestWall:P1} / {bestCsc:P1}; warm-up {warm}; "
                + $"wall with {string.Join(" ", b.WallWith.Select(Stats.Ms))}, without {string.Join(" ", b.WallWithout.Select(Stats.Ms))}; "
                + $"Csc with {string.Join(" ", b.CscWith.Select(Stats.Ms))}, without {string.Join(" ", b.CscWithout.Select(Stats.Ms))}");
            foreach (var line in b.Reports.SelectMany(r => r))
                Console.Error.WriteLine("  " + System.Text.RegularExpressions.Regex.Replace(line, @"\s+", " "));
            checks.Add(new Check($"Whole build share, {label} (paired wall; median share wall / Csc)",
                $"{paired:P1} (90 % interval {interval}; median share {wallShare:P1} / {cscShare:P1}; warm-up {warm})", "≤ 5 % of build", paired <= 0.05));
            reports.Add((name, b.Reports, Stats.Median(b.WallWithout), files.Count >= 200));
        }
        sb.AppendLine();
        sb.AppendLine($"The compiler's own account (`-p:ReportAnalyzer=true`, {WholeBuild.ReportBuilds} more builds with them; the lines of the median build):");
        sb.AppendLine();
        foreach (var (name, builds, wallWithout, large) in reports)
        {
            // A second view of the same target with less noise than a difference of two noisy wall times: the time the
            // compiler itself spent in the generator and analyzers, over the median build without them.
            var totals = builds.Where(l => l.Count > 0).Select(l => (Lines: l, Ms: ReportedMs(l))).OrderBy(t => t.Ms).ToList();
            if (totals.Count == 0)
            {
                sb.AppendLine($"- {name}: no report lines found");
                continue;
            }
            var median = totals[totals.Count / 2];
            sb.AppendLine($"- {name}: " + string.Join("; ", median.Lines.Select(l => "`" + System.Text.RegularExpressions.Regex.Replace(l, @"\s+", " ") + "`")));
            var reported = Stats.Median(totals.Select(t => t.Ms).ToList());
            var reportedShare = reported / wallWithout;
            var each = string.Join(", ", totals.Select(t => Stats.Ms(t.Ms)));
            sb.AppendLine($"  Generator and analyzer execution time reported by the compiler (the AgentScript.Generators assembly's lines), median of {totals.Count} builds ({each}): {Stats.Ms(reported)} = {reportedShare:P1} of the median build without them ({Stats.Ms(wallWithout)}).");
            checks.Add(new Check($"Compiler-reported AgentScript generator + analyzer time, {(large ? "200-file project" : "sample")}, share of the build",
                $"{Stats.Ms(reported)} of {Stats.Ms(wallWithout)} = {reportedShare:P1} (median of {totals.Count} builds: {each})", "≤ 5 % of build", reportedShare <= 0.05));
        }
        sb.AppendLine();
        sb.AppendLine("**In-process compile** (a profile, not the target: analyzers here run sequentially after binding, through `CompilationWithAnalyzers`, where csc runs them concurrently with its own binding):");
        sb.AppendLine();
        sb.AppendLine("In-process with Roslyn " + typeof(CSharpCompilation).Assembly.GetName().Version + ", a fresh compilation per round (as every build starts). *Compile* = bind + emit of");
        sb.AppendLine("the project with the generated sources added as ordinary files; *generator* = the same build with the generator running");
        sb.AppendLine("first (driver, then emit of the updated compilation, as the compiler does) minus *compile*; *analyzers* = the same build");
        sb.AppendLine($"with the {analyzers.Length} analyzers of the generator assembly run on the compilation that is emitted (sequentially) minus the same build");
        sb.AppendLine("without them (both first ask for all compiler diagnostics, which `CompilationWithAnalyzers` does to raise its events and csc does while emitting).");
        sb.AppendLine("*Warm* = medians of " + reps + " rounds after the first (a compiler server build: steady state); *cold* = the first round in this process");
        sb.AppendLine("(JIT of the generator and analyzers included: a first command-line build). The generator's own reported time");
        sb.AppendLine("(`GeneratorDriverTimingInfo`, which includes binding the build shares) is in brackets.");
        sb.AppendLine();
        sb.AppendLine("| Project | Files | Compile (warm) | Generator (reported) | Analyzers | Generator + analyzers | Share, warm | Share, cold | Target |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");

        var perAnalyzerRows = new List<(string Project, Dictionary<string, double> Times)>();
        foreach (var (name, files) in projects)
        {
            var trees = Parsed(files);
            var m = await MeasureAsync(trees, references, analyzers, reps);
            var share = (m.Generator + m.Analyzers) / m.Compile;
            var coldShare = (m.ColdGenerator + m.ColdAnalyzers) / m.ColdCompile;
            // Round 0 of a later project runs on a compiler the earlier project already warmed up, while its plain
            // compile (the first build of the round) still pays for JIT of new code paths: the difference can come out
            // negative (clamped to 0), which says nothing about the generator. Shown as n/a.
            var cold = m.ColdGenerator + m.ColdAnalyzers > 0
                ? $"{coldShare:P1} ({Stats.Ms(m.ColdGenerator + m.ColdAnalyzers)} of {Stats.Ms(m.ColdCompile)})"
                : "n/a (order effect: the first build of the round was the slowest)";
            sb.AppendLine($"| {name} | {files.Count} | {Stats.Ms(m.Compile)} | {Stats.Ms(m.Generator)} ({Stats.Ms(m.GeneratorReported)}) | {Stats.Ms(m.Analyzers)} | {Stats.Ms(m.Generator + m.Analyzers)} | {share:P1} | {cold} | profile (the target is the whole build) |");
            perAnalyzerRows.Add((name, m.PerAnalyzer));
            if (m.Errors.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine($"Compile errors in {name} (first 3): " + string.Join("; ", m.Errors.Take(3).Select(e => "`" + e + "`")));
                sb.AppendLine();
            }
            // Not a target row: the issue measures the target as a whole build; this sequential compile is a profile.
        }
        sb.AppendLine();
        sb.AppendLine("Analyzer callback time by analyzer (warm, `CompilationWithAnalyzers` telemetry; binding the driver does for them is not included):");
        sb.AppendLine();
        sb.AppendLine("| Analyzer | " + string.Join(" | ", perAnalyzerRows.Select((r, i) => i == 0 ? "sample" : "200-file project")) + " |");
        sb.AppendLine("|---|" + string.Concat(perAnalyzerRows.Select(_ => "---:|")));
        foreach (var analyzerName in perAnalyzerRows.SelectMany(r => r.Times.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            sb.AppendLine($"| {analyzerName} | " + string.Join(" | ", perAnalyzerRows.Select(r => Stats.Ms(r.Times.GetValueOrDefault(analyzerName)))) + " |");
        }
        sb.AppendLine();

        // ---- caching proof ----------------------------------------------------------------------------------
        var big = SyntheticProject.Generate(200);
        var bigTrees = big.Select(f => CSharpSyntaxTree.ParseText(f.Text, Parse, f.Path)).Append(GlobalUsings()).ToArray();
        var (reasons, regenerations) = CachingProof(bigTrees, references);
        sb.AppendLine("**Caching proof** (200-file project, driver with `trackIncrementalGeneratorSteps: true`, run, then an unrelated edit —");
        sb.AppendLine("a method body changed in `Module007.cs`, which has no entry and no traced call — and run again): reasons per tracked step");
        sb.AppendLine("on the second run.");
        sb.AppendLine();
        sb.AppendLine("| Step | Output reasons |");
        sb.AppendLine("|---|---|");
        foreach (var (step, r) in reasons.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            sb.AppendLine($"| `{step}` | {r} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Regenerations (outputs New or Modified after the edit): **{regenerations}**.");
        checks.Add(new Check("Regenerations after an unrelated edit", regenerations.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", regenerations == 0));
        return SectionResult.Create("generator", Titles.For("generator"), ctx, sb.ToString(), checks);
    }

    /// <summary>The analyzers of the generator assembly, one instance each.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
        typeof(AgentScript.Generators.Generator.AgentScriptGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>The sources of a project, parsed as the build parses them (with the SDK's implicit usings).</summary>
    internal static SyntaxTree[] Parsed(List<(string Path, string Text)> files) =>
        files.Select(f => CSharpSyntaxTree.ParseText(f.Text, Parse, f.Path)).Append(GlobalUsings()).ToArray();

    /// <summary>
    /// The AgentScript.Generators assembly's lines of one report (one under the analyzers, one under the generators; the
    /// totals also count the SDK's analyzers, which both variants run), in ms. "&lt;0.001" is taken as 0.001 s, an upper bound.
    /// </summary>
    private static double ReportedMs(IEnumerable<string> lines) => lines
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^<?([0-9.]+)\s+\d+\s+AgentScript\.Generators, Version"))
        .Where(m => m.Success)
        .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) * 1000;

    private sealed record Measurement(double Compile, double Generator, double Analyzers, List<string> Errors, double GeneratorReported,
        double ColdCompile, double ColdGenerator, double ColdAnalyzers, Dictionary<string, double> PerAnalyzer);

    /// <summary>
    /// What a build pays, measured the way the compiler works: a fresh compilation per round (nothing bound yet), and
    /// the cost of a component = (build with it) − (build without it) on the same sources. Round 0 is the cold one (this
    /// process has not yet JIT-compiled the generator/analyzers or bound these sources: a first command-line build);
    /// the medians of the later rounds are the warm, steady state of a compiler server build.
    /// </summary>
    private static async Task<Measurement> MeasureAsync(SyntaxTree[] trees, MetadataReference[] references, ImmutableArray<DiagnosticAnalyzer> analyzers, int reps)
    {
        var compile = new List<double>();
        var withGenerator = new List<double>();
        var reported = new List<double>();
        var withAnalyzers = new List<double>();
        var perAnalyzer = analyzers.ToDictionary(a => a.GetType().Name, _ => new List<double>());
        var errors = new List<string>();
        // The generated sources, obtained once, so the plain build can compile exactly the same program.
        CSharpGeneratorDriver.Create([new AgentScript.Generators.Generator.AgentScriptGenerator().AsSourceGenerator()], parseOptions: Parse)
            .RunGeneratorsAndUpdateCompilation(NewCompilation(trees, references), out var generated, out _);
        var allTrees = generated.SyntaxTrees.ToArray();
        double coldCompile = 0, coldGen = 0, coldAn = 0;
        for (var i = 0; i <= reps; i++) // round 0: cold
        {
            // A: the build without the generator and analyzers (the generated sources added as ordinary files).
            var sw = Stopwatch.StartNew();
            using (var ms = new MemoryStream())
            {
                var result = NewCompilation(allTrees, references).Emit(ms);
                sw.Stop();
                if (i == reps)
                {
                    errors.AddRange(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
                }
            }
            var plain = sw.Elapsed.TotalMilliseconds;

            // B: the same build with the generator running first, as the compiler does (metadata and declarations shared).
            sw.Restart();
            var driver = CSharpGeneratorDriver.Create([new AgentScript.Generators.Generator.AgentScriptGenerator().AsSourceGenerator()], parseOptions: Parse);
            driver = (CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(NewCompilation(trees, references), out var updated, out _);
            using (var ms = new MemoryStream())
            {
                updated.Emit(ms);
            }
            sw.Stop();
            var gen = sw.Elapsed.TotalMilliseconds;
            var genReported = driver.GetTimingInfo().ElapsedTime.TotalMilliseconds;

            // C: the same build with the analyzers running on the compilation that is emitted (as csc does), sequentially.
            // CompilationWithAnalyzers first asks the compilation for all its diagnostics (binding every method body) to
            // produce the events analyzers see; csc gets those events from the binding it does to emit. So C is compared
            // with C0, the build that also asks for all diagnostics first: C − C0 is what the analyzers add.
            double an = 0, an0 = 0;
            if (!analyzers.IsEmpty)
            {
                sw.Restart();
                var baseCompilation = NewCompilation(allTrees, references);
                _ = baseCompilation.GetDiagnostics();
                using (var ms = new MemoryStream())
                {
                    baseCompilation.Emit(ms);
                }
                sw.Stop();
                an0 = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                var compilation = NewCompilation(allTrees, references);
                var cwa = compilation.WithAnalyzers(analyzers,
                    new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
                await cwa.GetAnalyzerDiagnosticsAsync();
                using (var ms = new MemoryStream())
                {
                    compilation.Emit(ms);
                }
                sw.Stop();
                an = sw.Elapsed.TotalMilliseconds - an0 + plain;
                foreach (var a in analyzers)
                {
                    perAnalyzer[a.GetType().Name].Add((await cwa.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None)).ExecutionTime.TotalMilliseconds);
                }
            }
            if (i == 0)
            {
                coldCompile = plain;
                coldGen = Math.Max(0, gen - plain);
                coldAn = Math.Max(0, an - plain);
                continue;
            }
            compile.Add(plain);
            withGenerator.Add(gen);
            reported.Add(genReported);
            withAnalyzers.Add(an);
        }
        var compileP50 = Stats.Percentile(compile, 50);
        // A component's cost to the build: build time with it minus without it (medians; never below 0).
        var genCost = Math.Max(0, Stats.Percentile(withGenerator, 50) - compileP50);
        var anCost = analyzers.IsEmpty ? 0 : Math.Max(0, Stats.Percentile(withAnalyzers, 50) - compileP50);
        return new Measurement(compileP50, genCost, anCost, errors, Stats.Percentile(reported, 50), coldCompile, coldGen, coldAn,
            perAnalyzer.ToDictionary(kv => kv.Key, kv => kv.Value.Count == 0 ? 0 : Stats.Percentile(kv.Value.Skip(1).DefaultIfEmpty(kv.Value[0]).ToList(), 50)));
    }

    private static (Dictionary<string, string> Reasons, int Regenerations) CachingProof(SyntaxTree[] trees, MetadataReference[] references)
    {
        var comp = NewCompilation(trees, references);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new AgentScript.Generators.Generator.AgentScriptGenerator().AsSourceGenerator()],
            parseOptions: Parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(comp);

        var old = trees.First(t => t.FilePath == "Module007.cs");
        var edited = CSharpSyntaxTree.ParseText(SyntheticProject.Module(7, edit: 1), Parse, "Module007.cs");
        driver = driver.RunGenerators(comp.ReplaceSyntaxTree(old, edited));
        var run = driver.GetRunResult().Results[0];

        var reasons = new Dictionary<string, string>();
        var regenerations = 0;
        foreach (var (step, runs) in run.TrackedSteps.Concat(run.TrackedOutputSteps))
        {
            if (!step.StartsWith("AgentScript.", StringComparison.Ordinal) && !step.StartsWith("SourceOutput", StringComparison.Ordinal) && step != "ImplementationSourceOutput")
            {
                continue;
            }
            var outputs = runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
            // Tracked steps are the generator's own; New/Modified outputs mean work was redone after the edit.
            // The per-file syntax step legitimately re-runs for the edited file's nodes only when it contains matches.
            regenerations += outputs.Count(r => r is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
            reasons[step] = string.Join(", ", outputs.GroupBy(r => r).Select(g => $"{g.Key} × {g.Count()}"));
        }
        return (reasons, regenerations);
    }

    internal static CSharpCompilation NewCompilation(SyntaxTree[] trees, MetadataReference[] references) =>
        CSharpCompilation.Create("BenchScript", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));

    /// <summary>The implicit usings of an SDK project, as the build adds them.</summary>
    private static SyntaxTree GlobalUsings() => CSharpSyntaxTree.ParseText(
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
        Parse, "GlobalUsings.g.cs");

    internal static MetadataReference[] References()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        var own = new[] { typeof(AgentScript.AgentScriptAttribute).Assembly.Location, typeof(Serilog.Log).Assembly.Location };
        return tpa.Concat(own).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
