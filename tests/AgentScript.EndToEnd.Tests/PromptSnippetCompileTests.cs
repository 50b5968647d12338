using System.Text.RegularExpressions;
using AgentScript.EndToEnd.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentScript.EndToEnd.Tests;

/// <summary>
/// Every ```csharp snippet in prompts/ compiles against the real AgentScript runtime, so the guides cannot drift
/// from the API. Whole-file snippets compile as they are; statement snippets compile inside an entry-like method
/// with the variables prompts/README.md promises (context, log, executionId, cancellationToken).
/// </summary>
public sealed partial class PromptSnippetCompileTests
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var block in MarkdownBlocks.Read(RepoPaths.Prompts, "csharp"))
        {
            data.Add(block.ToString());
        }
        return data;
    }

    [Fact]
    public void The_prompts_have_csharp_snippets_to_check()
    {
        // Guards the extraction itself: if the fence parsing broke, every theory below would silently vanish.
        var blocks = MarkdownBlocks.Read(RepoPaths.Prompts, "csharp").ToList();
        Assert.True(blocks.Count >= 10, $"Only {blocks.Count} csharp snippets found in {RepoPaths.Prompts}.");
        Assert.Contains(blocks, b => IsWholeFile(b.Code));
        Assert.Contains(blocks, b => !IsWholeFile(b.Code));
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles(string snippet)
    {
        var block = MarkdownBlocks.Read(RepoPaths.Prompts, "csharp").Single(b => b.ToString() == snippet);
        var source = IsWholeFile(block.Code) ? block.Code : WrapStatements(block.Code);
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(GlobalUsings, options, "GlobalUsings.cs", cancellationToken: TestContext.Current.CancellationToken),
            CSharpSyntaxTree.ParseText(source, options, block.File, cancellationToken: TestContext.Current.CancellationToken),
        };
        var compilation = CSharpCompilation.Create(
            "PromptSnippet",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(errors.Count == 0, $"{block} does not compile:\n{string.Join('\n', errors)}\n--- compiled source ---\n{source}");
    }

    // The project template's implicit usings plus the namespaces the prompts say are imported.
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static bool IsWholeFile(string code) => WholeFilePattern().IsMatch(code);

    [GeneratedRegex(@"^\s*(using\s+[\w.]+\s*;|namespace\s+[\w.]+|(public|internal)\s+(static\s+|sealed\s+|partial\s+)*(class|record|struct|interface)\s)", RegexOptions.Multiline)]
    private static partial Regex WholeFilePattern();

    private static string WrapStatements(string code) => $$"""
        using AgentScript;
        using AgentScript.Hosting;
        using AgentScript.Model;
        using AgentScript.Queries;
        using Serilog;

        namespace PromptSnippets;

        public static class Snippet
        {
            public static async Task RunAsync(ScriptContext context, Serilog.ILogger log, string executionId, CancellationToken cancellationToken)
            {
        #line 1
        {{code}}
        #line default
                await Task.CompletedTask;
            }
        }
        """;

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(AgentScriptAttribute).Assembly.Location)
            .Append(typeof(Serilog.Log).Assembly.Location)
            .Where(p => !Path.GetFileName(p).StartsWith("AgentScript.EndToEnd", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }
}
