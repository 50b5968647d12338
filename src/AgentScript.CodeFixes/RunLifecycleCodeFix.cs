using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.CodeFixes
{
    /// <summary>AGS007: removes a <c>StartRun</c>/<c>EndRun</c> statement from an entry (the generated entry point does it).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RunLifecycleCodeFix)), Shared]
    public sealed class RunLifecycleCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RunLifecycleCall);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() =>
            DocumentFixAll.Create((root, _, diagnostic, _) => Statement(root, diagnostic) is StatementSyntax s ? (s, (SyntaxNode?)null) : null);

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var statement = Statement(root!, diagnostic);
                if (statement == null)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Remove the call (the generated entry point starts and ends the run)",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root!.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepDirectives)!)),
                    nameof(RunLifecycleCodeFix)), diagnostic);
            }
        }

        /// <summary>The statement to remove, or null: only a call used as a statement can go; a call whose result is used needs a person to decide.</summary>
        private static ExpressionStatementSyntax? Statement(SyntaxNode root, Diagnostic diagnostic)
        {
            var invocation = FixHelpers.NodeAt<InvocationExpressionSyntax>(root, diagnostic);
            SyntaxNode? node = invocation?.Parent is AwaitExpressionSyntax awaited ? awaited.Parent : invocation?.Parent;
            return node is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax ? statement : null;
        }
    }
}
