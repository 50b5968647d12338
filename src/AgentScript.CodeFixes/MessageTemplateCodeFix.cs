using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.CodeFixes
{
    /// <summary>AGS011: turns <c>$"Read {count} rows"</c> into <c>"Read {Count} rows", count</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MessageTemplateCodeFix)), Shared]
    public sealed class MessageTemplateCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DynamicMessageTemplate);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var (root, model) = await FixHelpers.RootAndModel(context.Document, context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var argument = FixHelpers.NodeAt<ArgumentSyntax>(root, diagnostic);
                if (argument == null || Rewrite(argument, model, context.CancellationToken) == null)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Use a message template with named properties",
                    ct => Apply(context.Document, argument.Span, ct), nameof(MessageTemplateCodeFix)), diagnostic);
            }
        }

        private static async Task<Document> Apply(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            var (root, model) = await FixHelpers.RootAndModel(document, cancellationToken).ConfigureAwait(false);
            var argument = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ArgumentSyntax>();
            var list = argument == null ? null : Rewrite(argument, model, cancellationToken);
            return list == null ? document : document.WithSyntaxRoot(root.ReplaceNode(argument!.Parent!, list));
        }

        private static ArgumentListSyntax? Rewrite(ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        {
            if (!(argument.Parent is ArgumentListSyntax list))
                return null;
            var index = list.Arguments.IndexOf(argument);
            // Values after the template already belong to holes in it; mixing both would renumber them.
            if (index != list.Arguments.Count - 1)
                return null;
            var parts = StringParts.Split(argument.Expression, model, cancellationToken);
            if (parts == null || !parts.Any(p => p.Value != null))
                return null;
            var (template, values) = StringParts.ToTemplate(parts);
            var arguments = list.Arguments.Replace(argument, argument.WithExpression(StringParts.StringLiteral(template).WithTriviaFrom(argument.Expression)));
            arguments = arguments.AddRange(values.Select(SyntaxFactory.Argument));
            return list.WithArguments(arguments);
        }
    }
}
