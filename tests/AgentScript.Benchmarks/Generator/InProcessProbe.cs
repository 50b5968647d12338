using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using AgentScript.Benchmarks.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Benchmarks.Generator;

/// <summary>
/// <c>-- inprocess-probe [rounds] [files] [--only=Analyzer | --probe=empty|syntax|bind|bind-bare|symbol|symbol-bare] [--parts]</c>:
/// what the analyzers add to the binding of a generated project, in process CPU time on one thread (best and median of
/// the rounds), with each analyzer's callback time; <c>--probe</c> runs a <see cref="ProbeAnalyzer"/> instead (what the
/// analyzer driver and binding cost by themselves); <c>--parts</c> times the syntax walks the generator and AGS013 could
/// do. Prints; writes no doc. CPU time on one thread is far steadier than a whole build on this shared machine, so a
/// change to an analyzer shows here first.
/// </summary>
internal static class InProcessProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var r) ? r : 5;
        var files = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var f) ? f : 200;
        var references = GeneratorSection.References();
        CSharpGeneratorDriver.Create([new AgentScript.Generators.Generator.AgentScriptGenerator().AsSourceGenerator()], parseOptions: GeneratorSection.Parse)
            .RunGeneratorsAndUpdateCompilation(GeneratorSection.NewCompilation(GeneratorSection.Parsed(SyntheticProject.Generate(files)), references), out var generated, out _);
        var trees = generated.SyntaxTrees.ToArray();
        if (args.Contains("--parts"))
        {
            Parts(trees, references, rounds);
            return 0;
        }
        var only = Option(args, "--only=");
        var analyzers = Option(args, "--probe=") is { } probe ? [ProbeAnalyzer.For(probe)]
            : GeneratorSection.Analyzers().Where(a => only is null || a.GetType().Name == only).ToImmutableArray();

        // Both variants ask for every compiler diagnostic (binding every body); the difference is what the analyzers add.
        var plain = new List<double>();
        var with = new List<double>();
        var perAnalyzer = analyzers.ToDictionary(a => a.GetType().Name, _ => new List<double>());
        for (var i = 0; i <= rounds; i++)
        {
            var cpu = Cpu();
            _ = Serial(GeneratorSection.NewCompilation(trees, references)).GetDiagnostics();
            var afterPlain = Cpu();
            var cwa = Serial(GeneratorSection.NewCompilation(trees, references)).WithAnalyzers(analyzers,
                new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            var diagnostics = await cwa.GetAnalyzerDiagnosticsAsync();
            var afterWith = Cpu();
            if (i == 0)
            {
                Console.WriteLine("AGS diagnostics: " + string.Join(", ", diagnostics.Where(d => d.Id.StartsWith("AGS", StringComparison.Ordinal)).GroupBy(d => d.Id).Select(g => $"{g.Key} x{g.Count()}")));
                continue; // round 0 pays for JIT
            }
            plain.Add(afterPlain - cpu);
            with.Add(afterWith - afterPlain);
            foreach (var a in analyzers)
                perAnalyzer[a.GetType().Name].Add((await cwa.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None)).ExecutionTime.TotalMilliseconds);
        }
        Console.WriteLine($"{files} files, {rounds} rounds, CPU: diagnostics alone best {Stats.Ms(plain.Min())} (median {Stats.Ms(Stats.Median(plain))}); "
            + $"with analyzers best {Stats.Ms(with.Min())} (median {Stats.Ms(Stats.Median(with))}); analyzers add {Stats.Ms(with.Min() - plain.Min())} (best) / {Stats.Ms(Stats.Median(with) - Stats.Median(plain))} (median)");
        foreach (var (name, ms) in perAnalyzer.Select(kv => (kv.Key, Stats.Median(kv.Value))).OrderByDescending(kv => kv.Item2))
            Console.WriteLine($"  {name,-36} {Stats.Ms(ms)} callback time");
        return 0;
    }

    /// <summary>The syntax walks, timed on one bound compilation per round: what each way of finding names costs.</summary>
    private static void Parts(SyntaxTree[] trees, MetadataReference[] references, int rounds)
    {
        var generators = typeof(AgentScript.Generators.Generator.AgentScriptGenerator).Assembly;
        var filterFor = generators.GetType("AgentScript.Generators.Generator.TracedNameFilter")!.GetMethod("For")!;
        var find = generators.GetType("AgentScript.Generators.Analyzers.TracedReferenceFinder")!.GetMethod("Find")!;
        for (var i = 0; i < rounds; i++)
        {
            var c = GeneratorSection.NewCompilation(trees, references);
            _ = c.GetDiagnostics();
            var sw = Stopwatch.StartNew();
            var filter = filterFor.Invoke(null, [c]);
            var filterMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var calls = c.SyntaxTrees.Sum(t => t.GetRoot().DescendantNodesAndSelf().Count(n => n is InvocationExpressionSyntax));
            var nodeWalk = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var identifiers = c.SyntaxTrees.Sum(t => t.GetRoot().DescendantTokens().Count(k => k.IsKind(SyntaxKind.IdentifierToken)));
            var tokenWalk = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            foreach (var t in c.SyntaxTrees)
                _ = find.Invoke(null, [t, filter, CancellationToken.None]);
            var textSearch = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"round {i + 1}: name filter {filterMs:F1} ms; node walk {nodeWalk:F1} ms ({calls} calls); "
                + $"token walk {tokenWalk:F1} ms ({identifiers} identifiers); AGS013 text search {textSearch:F1} ms");
        }
    }

    private static string? Option(string[] args, string prefix) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    // One thread binds everything: process CPU time then measures the work, not how it was spread over threads.
    private static CSharpCompilation Serial(CSharpCompilation c) => c.WithOptions(c.Options.WithConcurrentBuild(false));
}
