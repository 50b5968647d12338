using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>Runs an analyzer (and optionally its code fix, including Fix-All) over test sources with diagnostic markup.</summary>
internal static class AnalyzerVerifier
{
    /// <summary>
    /// Source every test can use: the usings a script has, and <c>AgentLog</c> with the members the rules look at.
    /// A source declaration wins over one in a referenced assembly, so the tests keep working when the runtime
    /// library grows its own <c>AgentLog</c> (the compiler then warns CS0436, which these tests do not compare).
    /// </summary>
    public const string AgentLogStub = """
        namespace AgentScript
        {
            public static class AgentLog
            {
                public static string StartRun(string scriptName) => scriptName;
                public static void EndRun(string status = "success") { }
                public static System.Threading.Tasks.Task EndRunAsync(string status = "success") => System.Threading.Tasks.Task.CompletedTask;
                public static System.Threading.Tasks.Task<object?> QueryAsync(string query, System.Collections.Generic.IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, System.Threading.CancellationToken cancellationToken = default) => System.Threading.Tasks.Task.FromResult<object?>(null);
            }
        }
        """;

    public static Task AnalyzeAsync<TAnalyzer>(string source, params string[] onlyIds)
        where TAnalyzer : DiagnosticAnalyzer, new() => AnalyzeAsync<TAnalyzer>(source, OutputKind.DynamicallyLinkedLibrary, onlyIds);

    public static async Task AnalyzeAsync<TAnalyzer>(string source, OutputKind outputKind, params string[] onlyIds)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>();
        Configure(test.TestState, source);
        test.TestState.OutputKind = outputKind;
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        Only(test.DisabledDiagnostics, onlyIds);
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The analyzer's diagnostics for <paramref name="source"/> as a build would report them (for message checks).</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync<TAnalyzer>(string source, params (string Path, string Text)[] more)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var ct = TestContext.Current.CancellationToken;
        var trees = new[] { ("Script.cs", source), ("AgentLog.cs", AgentLogStub) }.Concat(more)
            .Select(s => CSharpSyntaxTree.ParseText(s.Item2, path: s.Item1, cancellationToken: ct));
        var compilation = CSharpCompilation.Create("Script", trees,
            AnalyzerTestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics(ct).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer())).GetAnalyzerDiagnosticsAsync(ct);
    }

    public static async Task FixAsync<TAnalyzer, TFix>(string source, string fixedSource, params string[] onlyIds)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>();
        Configure(test.TestState, source);
        Configure(test.FixedState, fixedSource);
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        Only(test.DisabledDiagnostics, onlyIds);
        // AGS003 is a compilation-end diagnostic (it needs every entry); the others must stay local to their symbol.
        if (onlyIds.Contains(Generators.Analyzers.DiagnosticIds.MissingDebugEntry))
            test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    private static void Configure(SolutionState state, string source)
    {
        state.Sources.Add(("/0/Script.cs", source));
        state.Sources.Add(("/0/AgentLog.cs", AgentLogStub));
        state.AdditionalReferences.AddRange(AnalyzerTestReferences.All);
    }

    /// <summary>EntryAnalyzer reports seven rules; a test about one of them switches the others off.</summary>
    private static void Only(List<string> disabled, string[] onlyIds)
    {
        if (onlyIds.Length == 0)
            return;
        foreach (var descriptor in Generators.Analyzers.DiagnosticDescriptors.All)
        {
            if (!onlyIds.Contains(descriptor.Id))
                disabled.Add(descriptor.Id);
        }
    }
}
