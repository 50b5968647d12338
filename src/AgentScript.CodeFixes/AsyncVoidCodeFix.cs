using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.CodeFixes
{
    /// <summary>AGS008: turns <c>async void</c> into <c>async Task</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidCodeFix)), Shared]
    public sealed class AsyncVoidCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AsyncVoid);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var token = root!.FindToken(diagnostic.Location.SourceSpan.Start);
                TypeSyntax? returnType = token.Parent switch
                {
                    MethodDeclarationSyntax m => m.ReturnType,
                    LocalFunctionStatementSyntax f => f.ReturnType,
                    _ => null,
                };
                if (returnType == null)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Return Task instead of void",
                    ct =>
                    {
                        var task = FixHelpers.Simplified(SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task")).WithTriviaFrom(returnType);
                        return FixHelpers.AddImportsAsync(context.Document.WithSyntaxRoot(root.ReplaceNode(returnType, task)), ct);
                    }, nameof(AsyncVoidCodeFix)), diagnostic);
            }
        }
    }
}
