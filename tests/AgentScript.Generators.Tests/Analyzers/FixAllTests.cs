using System.Collections.Immutable;
using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>
/// Fix-All the way <c>dotnet format analyzers --diagnostics AGSxxx</c> runs it: the equivalence key comes from the code
/// action registered for the project's first diagnostic (none when that one has no fix), then one Solution-scope Fix-All.
/// The test framework's own Fix-All picks a diagnostic that has a fix, so it cannot show these cases.
/// </summary>
public class FixAllTests
{
    [Fact]
    public async Task AGS007_fix_all_removes_the_fixable_calls_when_the_first_one_has_no_fix()
    {
        var fixedText = await FormatLikeDotnetFormat<RunLifecycleAnalyzer, RunLifecycleCodeFix>("""
            using AgentScript;
            static class Script
            {
                [AgentScript]
                public static string Working()
                {
                    var id = AgentLog.StartRun("x");
                    AgentLog.EndRun();
                    AgentLog.EndRun("failed");
                    return id;
                }
            }
            """, DiagnosticIds.RunLifecycleCall);

        Assert.Contains("var id = AgentLog.StartRun(\"x\");", fixedText);
        Assert.DoesNotContain("EndRun", fixedText);
    }

    [Fact]
    public async Task AGS005_fix_all_rewrites_every_call_and_adds_the_using_once_in_one_pass()
    {
        var fixedText = await FormatLikeDotnetFormat<ConsoleOutputAnalyzer, ConsoleOutputCodeFix>("""
            using System;
            using AgentScript;
            static class Script
            {
                [AgentScript]
                public static int Working()
                {
                    Console.WriteLine("first");
                    Console.WriteLine("second");
                    Console.Error.WriteLine("third");
                    return 1;
                }
            }
            """, DiagnosticIds.ConsoleOutput, expectNoneLeft: true);

        Assert.DoesNotContain("Console.", fixedText);
        Assert.Equal(1, CountOf(fixedText, "using Serilog;"));
        Assert.Contains("Log.Information(\"first\");", fixedText);
        Assert.Contains("Log.Error(\"third\");", fixedText);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    private static async Task<string> FormatLikeDotnetFormat<TAnalyzer, TFix>(string source, string id, bool expectNoneLeft = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var ct = TestContext.Current.CancellationToken;
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "Script", "Script", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: AnalyzerTestReferences.All));
        var document = workspace.AddDocument(project.Id, "Script.cs", Microsoft.CodeAnalysis.Text.SourceText.From(source));
        workspace.AddDocument(project.Id, "AgentLog.cs", Microsoft.CodeAnalysis.Text.SourceText.From(AnalyzerVerifier.AgentLogStub));
        var solution = workspace.CurrentSolution;

        var diagnostics = await Diagnostics<TAnalyzer>(solution.GetProject(project.Id)!, id, ct);
        Assert.True(diagnostics.Length >= 2, "the test needs several occurrences");

        var fix = new TFix();
        var first = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First();
        CodeAction? action = null;
        await fix.RegisterCodeFixesAsync(new CodeFixContext(solution.GetDocument(document.Id)!, first, (a, _) => action ??= a, ct));
        var context = new FixAllContext(solution.GetDocument(document.Id)!, fix, FixAllScope.Solution, action?.EquivalenceKey!,
            [id], new Provider(diagnostics), ct);
        var fixAll = await fix.GetFixAllProvider()!.GetFixAsync(context);
        Assert.True(fixAll != null, "the Fix-All provider returned no action (dotnet format: \"didn't return a Fix All action\")");
        var operations = await fixAll.GetOperationsAsync(ct);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;

        var fixedDocument = changed.GetDocument(document.Id)!;
        var compilation = (await fixedDocument.Project.GetCompilationAsync(ct))!;
        Assert.Empty(compilation.GetDiagnostics(ct).Where(d => d.Severity == DiagnosticSeverity.Error));
        if (expectNoneLeft)
            Assert.Empty(await Diagnostics<TAnalyzer>(fixedDocument.Project, id, ct));
        return (await fixedDocument.GetTextAsync(ct)).ToString();
    }

    private static async Task<ImmutableArray<Diagnostic>> Diagnostics<TAnalyzer>(Project project, string id, CancellationToken ct)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var compilation = (await project.GetCompilationAsync(ct))!;
        var all = await compilation.WithAnalyzers([new TAnalyzer()]).GetAnalyzerDiagnosticsAsync(ct);
        return [.. all.Where(d => d.Id == id)];
    }

    private sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
