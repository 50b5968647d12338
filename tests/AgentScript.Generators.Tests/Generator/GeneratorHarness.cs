using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using AgentScript.Generators.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentScript.Generators.Tests.Generator;

/// <summary>
/// Runs the generator over in-memory sources with the real AgentScript runtime as a reference (offline: the
/// framework references come from the running runtime, not from a downloaded reference pack).
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>Set to 1 to rewrite the baseline files from the current generator output.</summary>
    public const string UpdateBaselinesVariable = "AGENTSCRIPT_UPDATE_BASELINES";

    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "AgentScript.Generated")]);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(BuildReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static string BaselineDirectory([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "Baselines");

    public static CSharpCompilation Compile(OutputKind kind, params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create(
            "TestScript",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
            References,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new AgentScriptGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns the result and the compilation with the generated code.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics,
            TestContext.Current.CancellationToken);
        Assert.Empty(diagnostics);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Warnings and errors of the compilation after generation (the generated code must add none).</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation output) =>
        output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();

    /// <summary>Replaces the generator's version so baselines survive version bumps.</summary>
    public static string Normalize(string generated) =>
        generated.Replace($"\"{GeneratorInfoVersion}\"", "\"$VERSION$\"").ReplaceLineEndings("\n");

    public static string GeneratorInfoVersion =>
        typeof(AgentScriptGenerator).Assembly.GetName().Version!.ToString();

    /// <summary>Compares <paramref name="actual"/> with the baseline file, or rewrites it when asked to.</summary>
    public static void AssertBaseline(string name, string actual)
    {
        var path = Path.Combine(BaselineDirectory(), name);
        var normalized = Normalize(actual);
        if (Environment.GetEnvironmentVariable(UpdateBaselinesVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalized);
            return;
        }
        Assert.True(File.Exists(path), $"Baseline {path} is missing; run the tests with {UpdateBaselinesVariable}=1 to create it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, normalized);
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var paths = trusted
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .ToList();
        paths.Add(typeof(AgentScript.Hosting.ScriptHost).Assembly.Location);
        paths.Add(typeof(Serilog.Log).Assembly.Location);
        return [.. paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
