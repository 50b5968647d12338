using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AgentScript.CodeFixes
{
    /// <summary>AGS015: inserts a summary skeleton (purpose, sample input, expected output) on a script class that has none.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ScriptSummaryCodeFix)), Shared]
    public sealed class ScriptSummaryCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingScriptSummary);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var type = root!.FindToken(diagnostic.Location.SourceSpan.Start).Parent as TypeDeclarationSyntax;
                // A summary the author wrote is theirs to complete; the skeleton only goes where there is none.
                if (type == null || EntryAnalyzer.DocumentationText(type).IndexOf("<summary>", System.StringComparison.OrdinalIgnoreCase) >= 0)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Add a script summary skeleton",
                    ct =>
                    {
                        var line = text.Lines.GetLineFromPosition(type.SpanStart);
                        var indent = text.ToString(TextSpan.FromBounds(line.Start, type.SpanStart));
                        if (indent.Trim().Length != 0)
                            indent = "";
                        var newLine = text.ToString().Contains("\r\n") ? "\r\n" : "\n";
                        var skeleton =
                            "/// <summary>" + newLine +
                            indent + "/// Purpose: what this script does and why." + newLine +
                            indent + "/// Sample input: the arguments, files or environment it reads, e.g. <c>dotnet run -- debug</c>." + newLine +
                            indent + "/// Expected output: the final response it returns, e.g. <c>{ \"ok\": true }</c>." + newLine +
                            indent + "/// </summary>" + newLine + indent;
                        return Task.FromResult(context.Document.WithText(text.WithChanges(new TextChange(new TextSpan(type.SpanStart, 0), skeleton))));
                    }, nameof(ScriptSummaryCodeFix)), diagnostic);
            }
        }
    }
}
