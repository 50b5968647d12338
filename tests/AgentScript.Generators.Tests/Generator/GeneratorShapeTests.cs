using System.Collections.Immutable;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Tests.Generator;

/// <summary>
/// Shapes a user may write that the generator must either handle or leave alone, never turning them into code that
/// fails to compile; and mode names, where the generator and the analyzers must apply the same rule.
/// </summary>
public sealed class GeneratorShapeTests
{
    [Fact]
    public void Parameter_names_never_collide_with_the_names_the_interceptor_introduces()
    {
        const string source = """
            using AgentScript;
            namespace Names;
            public sealed class Tool
            {
                [Traced] public int Self(int @this) => @this;
                [Traced] public static int Locals(int __span, int __result, int __exception) => __span + __result + __exception;
                [Traced] public int Mine(int __receiver, int __arg0) => __receiver + __arg0;
                [Traced] public static async System.Threading.Tasks.Task<int> LaterAsync(int __span, int __result) { await System.Threading.Tasks.Task.Yield(); return __span + __result; }
            }
            public static class Use
            {
                public static int Run(Tool tool) => tool.Self(1) + Tool.Locals(1, 2, 3) + tool.Mine(4, 5) + Tool.LaterAsync(6, 7).Result;
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(OutputKind.DynamicallyLinkedLibrary, ("Names.cs", source)));

        var text = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Equal(4, text.Split("[global::System.Runtime.CompilerServices.InterceptsLocation(").Length - 1);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Out_parameters_are_traced()
    {
        const string source = """
            using AgentScript;
            namespace Outs;
            public static class Parser
            {
                [Traced] public static bool TryRead(string text, out int value) => int.TryParse(text, out value);
                public static int Run() => TryRead("4", out var v) ? v : 0;
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(OutputKind.DynamicallyLinkedLibrary, ("Outs.cs", source)));

        var text = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains("global::Outs.Parser.TryRead(__arg0, out __arg1)", text, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Nullable_flow_attributes_and_ref_readonly_parameters_are_carried_to_the_interceptor()
    {
        // Without the attributes the interceptor's signature differs in nullability (CS9159, an error under
        // TreatWarningsAsErrors); a ref readonly parameter was left untraced with no diagnostic.
        const string source = """
            using System.Diagnostics.CodeAnalysis;
            using AgentScript;
            namespace Flow;
            public readonly struct Big { public readonly long A, B, C, D; }
            public static class Parser
            {
                [Traced] public static bool TryFind(string? key, [NotNullWhen(true)] out string? found, [MaybeNullWhen(false)] out object other) { found = key; other = key!; return key != null; }
                [Traced] [return: NotNullIfNotNull(nameof(text))] public static string? Echo(string? text) => text;
                [Traced] public static void Check([DoesNotReturnIf(false)] bool ok, [AllowNull] string name, [DisallowNull] string? other) { }
                [Traced] [return: MaybeNull] public static T First<T>(T[] items) => items.Length > 0 ? items[0] : default;
                [Traced] public static long Sum(ref readonly Big big) => big.A + big.D;
                public static int Run(Big big)
                {
                    var n = TryFind("k", out var f, out _) ? f.Length : 0;
                    n += Echo("x").Length;
                    Check(true, null, "y");
                    n += First(new[] { "a" })?.Length ?? 0;
                    return n + (int)Sum(in big);
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(OutputKind.DynamicallyLinkedLibrary, ("Flow.cs", source)));

        var text = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Equal(5, text.Split("[global::System.Runtime.CompilerServices.InterceptsLocation(").Length - 1);
        Assert.Contains("[global::System.Diagnostics.CodeAnalysis.NotNullWhenAttribute(true)] out string? __arg1", text, StringComparison.Ordinal);
        Assert.Contains("[return: global::System.Diagnostics.CodeAnalysis.NotNullIfNotNullAttribute(\"__arg0\")]", text, StringComparison.Ordinal);
        Assert.Contains("ref readonly global::Flow.Big __arg0", text, StringComparison.Ordinal);
        Assert.Contains("global::Flow.Parser.Sum(in __arg0)", text, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void An_entry_returning_a_nullable_task_compiles_without_warnings_and_a_null_task_gets_a_clear_error()
    {
        // `await Entry()` on a Task<string>? warned CS8602 inside the generated Main (an error under warnings as errors),
        // and a null task threw a NullReferenceException from generated code.
        const string source = """
            using System.Threading.Tasks;
            using AgentScript;
            namespace Tasks;
            public static class Entries
            {
                [AgentScript] public static Task<string>? Working() => Task.FromResult("x");
                [AgentScript("plain")] public static Task? Plain() => null;
                [AgentScript("value")] public static ValueTask<int>? Value() => null;
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(OutputKind.ConsoleApplication, ("Tasks.cs", source)));

        var program = Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith(Generators.Generator.AgentScriptGenerator.ProgramHintName, StringComparison.Ordinal)).ToString();
        Assert.Contains("\"plain\"", program, StringComparison.Ordinal);
        Assert.DoesNotContain("\"value\"", program, StringComparison.Ordinal);
        Assert.Contains("returned null instead of a task", program, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void An_async_iterator_is_not_intercepted()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentScript;
            namespace Streams;
            public static class Feed
            {
                [Traced] public static async IAsyncEnumerable<int> ItemsAsync() { await Task.Yield(); yield return 1; }
                [Traced] public static int Count() => 1;
                public static async Task<int> Run() { var n = Count(); await foreach (var i in ItemsAsync()) n += i; return n; }
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(OutputKind.DynamicallyLinkedLibrary, ("Streams.cs", source)));

        var text = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains("Feed.Count()", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ItemsAsync", text, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void With_LangVersion_10_no_interceptors_are_written_and_the_program_compiles()
    {
        var parse = GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10);
        var compilation = CSharpCompilation.Create("TestScript",
            [CSharpSyntaxTree.ParseText(TestSources.StaticShapes, parse, "a.cs", cancellationToken: TestContext.Current.CancellationToken),
                CSharpSyntaxTree.ParseText(TestSources.Traced, parse, "b.cs", cancellationToken: TestContext.Current.CancellationToken)],
            GeneratorHarness.References, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create([new Generators.Generator.AgentScriptGenerator().AsSourceGenerator()], parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, TestContext.Current.CancellationToken);

        var generated = driver.GetRunResult().Results.Single().GeneratedSources;
        Assert.Equal([Generators.Generator.AgentScriptGenerator.ProgramHintName], generated.Select(g => g.HintName));
        Assert.DoesNotContain(GeneratorHarness.Problems(output), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public async Task Invalid_mode_names_get_no_entry_and_Main_keeps_the_duplicate_AGS002_names()
    {
        const string source = """
            using AgentScript;
            namespace Modes;
            public static class B { [AgentScript("debug")] public static int Run() => 1; }
            public static class A { [AgentScript("debug")] public static int Run() => 2; }
            public static class Script
            {
                [AgentScript] public static int Working() => 0;
                [AgentScript(" debug ")] public static int Padded() => 3;
                [AgentScript("")] public static int Empty() => 4;
                [AgentScript("help")] public static int Help() => 5;
                [AgentScript("-x")] public static int Dash() => 6;
            }
            """;
        var compilation = GeneratorHarness.Compile(OutputKind.ConsoleApplication, ("Modes.cs", source));
        var (result, _) = GeneratorHarness.Run(compilation);
        var text = result.GeneratedTrees.Single().ToString();

        var modes = System.Text.RegularExpressions.Regex.Matches(text, "ScriptEntry\\(\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["debug", "working"], modes);
        Assert.Contains("global::Modes.A.Run(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("global::Modes.B.Run(", text, StringComparison.Ordinal);

        var diagnostics = await compilation.WithAnalyzers([new EntryAnalyzer()]).GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken);
        var duplicate = Assert.Single(diagnostics, d => d.Id == DiagnosticIds.DuplicateMode);
        Assert.Contains("the generated Main runs 'A.Run' and ignores 'B.Run'", duplicate.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4, diagnostics.Count(d => d.Id == DiagnosticIds.InvalidModeName));
    }
}
