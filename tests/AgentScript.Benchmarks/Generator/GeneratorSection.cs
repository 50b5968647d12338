using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using AgentScript.Benchmarks.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Benchmarks.Generator;

/// <summary>
/// Section 5: the generator's and analyzers' own time (Roslyn's timing and analyzer telemetry) against the time to
/// compile the same project, on the sample and on a 200-file project; and a caching proof after an unrelated edit.
/// </summary>
public static class GeneratorSection
{
    private static readonly CSharpParseOptions Parse = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Preview)
        .WithFeatures([new("InterceptorsNamespaces", "AgentScript.Generated")]);

    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var sb = new StringBuilder();
        var checks = new List<Check>();
        var generatorType = typeof(AgentScript.Generators.Generator.AgentScriptGenerator);
        var analyzers = generatorType.Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var references = References();
        var reps = ctx.Quick ? 2 : 5;

        var sampleDir = Path.Combine(RepoPaths.Root, "samples", "HelloAgent");
        var sampleFiles = Directory.Exists(sampleDir)
            ? Directory.GetFiles(sampleDir, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
                .Select(f => (Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f))).ToList()
            : [("HelloAgent.cs (built-in stand-in: samples/HelloAgent not in this build)", SyntheticProject.FallbackSample)];

        sb.AppendLine("Times are medians over " + reps + " fresh compilations after warm-up, in-process with Roslyn " +
                      typeof(CSharpCompilation).Assembly.GetName().Version + ". *Compile* = bind + emit of the project including the generated");
        sb.AppendLine("sources (what the build does anyway); *generator* = `GeneratorDriverTimingInfo` of the AgentScript generator;");
        sb.AppendLine($"*analyzers* = sum of analyzer execution times from `CompilationWithAnalyzers` telemetry ({analyzers.Length} analyzer(s) found in the generator assembly).");
        sb.AppendLine();
        sb.AppendLine("| Project | Files | Compile | Generator | Analyzers | Generator + analyzers | Share of compile | Target |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");

        var projects = new List<(string Name, List<(string Path, string Text)> Files)>
        {
            ("sample (" + string.Join(", ", sampleFiles.Select(f => f.Item1)) + ")", sampleFiles),
            ("generated 200-file project", SyntheticProject.Generate(200)),
        };
        foreach (var (name, files) in projects)
        {
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, Parse, f.Path)).Append(GlobalUsings()).ToArray();
            var m = await MeasureAsync(trees, references, analyzers, reps);
            var share = (m.Generator + m.Analyzers) / m.Compile;
            sb.AppendLine($"| {name} | {files.Count} | {Stats.Ms(m.Compile)} | {Stats.Ms(m.Generator)} | {Stats.Ms(m.Analyzers)} | {Stats.Ms(m.Generator + m.Analyzers)} | {share:P1} | ≤ 5 % |");
            if (m.Errors.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine($"Compile errors in {name} (first 3): " + string.Join("; ", m.Errors.Take(3).Select(e => "`" + e + "`")));
                sb.AppendLine();
            }
            checks.Add(new Check($"Generator + analyzers, {(files.Count >= 200 ? "200-file project" : "sample")}", $"{Stats.Ms(m.Generator + m.Analyzers)} of {Stats.Ms(m.Compile)} = {share:P1}", "≤ 5 % of build", share <= 0.05));
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

    private sealed record Measurement(double Compile, double Generator, double Analyzers, List<string> Errors);

    private static async Task<Measurement> MeasureAsync(SyntaxTree[] trees, MetadataReference[] references, ImmutableArray<DiagnosticAnalyzer> analyzers, int reps)
    {
        var compile = new List<double>();
        var gen = new List<double>();
        var an = new List<double>();
        var errors = new List<string>();
        for (var i = -1; i < reps; i++) // one warm-up round (JIT)
        {
            var comp = NewCompilation(trees, references);
            var driver = CSharpGeneratorDriver.Create([new AgentScript.Generators.Generator.AgentScriptGenerator().AsSourceGenerator()], parseOptions: Parse);
            driver = (CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(comp, out var updated, out _);
            var genTime = driver.GetTimingInfo().ElapsedTime.TotalMilliseconds;

            // Compile the updated project (the generated Main included), as a fresh compilation so nothing is cached.
            var fresh = NewCompilation(updated.SyntaxTrees.ToArray(), references);
            var sw = Stopwatch.StartNew();
            using (var ms = new MemoryStream())
            {
                var result = fresh.Emit(ms);
                sw.Stop();
                if (i == reps - 1)
                {
                    errors.AddRange(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
                }
            }

            double anTime = 0;
            if (!analyzers.IsEmpty)
            {
                var withAnalyzers = NewCompilation(updated.SyntaxTrees.ToArray(), references).WithAnalyzers(analyzers,
                    new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
                await withAnalyzers.GetAnalyzerDiagnosticsAsync();
                foreach (var a in analyzers)
                {
                    anTime += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
                }
            }
            if (i >= 0)
            {
                compile.Add(sw.Elapsed.TotalMilliseconds);
                gen.Add(genTime);
                an.Add(anTime);
            }
        }
        return new Measurement(Stats.Percentile(compile, 50), Stats.Percentile(gen, 50), Stats.Percentile(an, 50), errors);
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

    private static CSharpCompilation NewCompilation(SyntaxTree[] trees, MetadataReference[] references) =>
        CSharpCompilation.Create("BenchScript", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));

    /// <summary>The implicit usings of an SDK project, as the build adds them.</summary>
    private static SyntaxTree GlobalUsings() => CSharpSyntaxTree.ParseText(
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
        Parse, "GlobalUsings.g.cs");

    private static MetadataReference[] References()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        var own = new[] { typeof(AgentScript.AgentScriptAttribute).Assembly.Location, typeof(Serilog.Log).Assembly.Location };
        return tpa.Concat(own).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
