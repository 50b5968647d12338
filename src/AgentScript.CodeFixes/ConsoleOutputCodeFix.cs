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
    /// <summary>AGS005: replaces <c>Console.WriteLine(x)</c> with a Serilog call with a message template.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConsoleOutputCodeFix)), Shared]
    public sealed class ConsoleOutputCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ConsoleOutput);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => DocumentFixAll.Create(
            (root, model, diagnostic, ct) =>
            {
                var invocation = FixHelpers.Has(model, "Serilog.Log") ? FixHelpers.NodeAt<InvocationExpressionSyntax>(root, diagnostic) : null;
                var replacement = invocation == null ? null : Rewrite(invocation, model, ct);
                return replacement == null ? null : (invocation!, (SyntaxNode?)replacement);
            },
            FixHelpers.AddImportsAsync);

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var (root, model) = await FixHelpers.RootAndModel(context.Document, context.CancellationToken).ConfigureAwait(false);
            if (!FixHelpers.Has(model, "Serilog.Log"))
                return;
            foreach (var diagnostic in context.Diagnostics)
            {
                var invocation = FixHelpers.NodeAt<InvocationExpressionSyntax>(root, diagnostic);
                if (invocation == null || Rewrite(invocation, model, context.CancellationToken) == null)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Log it with Serilog instead",
                    ct => Apply(context.Document, invocation.Span, ct), nameof(ConsoleOutputCodeFix)), diagnostic);
            }
        }

        private static async Task<Document> Apply(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            var (root, model) = await FixHelpers.RootAndModel(document, cancellationToken).ConfigureAwait(false);
            var invocation = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            var replacement = invocation == null ? null : Rewrite(invocation, model, cancellationToken);
            return replacement == null ? document : await FixHelpers.AddImportsAsync(document.WithSyntaxRoot(root.ReplaceNode(invocation!, replacement)), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The Serilog call for a one-argument console write, or null when there is no faithful rewrite.</summary>
        private static InvocationExpressionSyntax? Rewrite(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
        {
            var arguments = invocation.ArgumentList.Arguments;
            if (arguments.Count != 1 || arguments[0].NameColon != null || !arguments[0].RefKindKeyword.IsKind(SyntaxKind.None))
                return null; // Console.WriteLine() and composite formats ("{0}", a) have no obvious template.
            var level = invocation.Expression is MemberAccessExpressionSyntax access && access.Expression is MemberAccessExpressionSyntax inner
                && inner.Name.Identifier.ValueText == "Error" ? "Error" : "Information";

            var value = arguments[0].Expression;
            string template;
            var templateArguments = new List<ExpressionSyntax>();
            var constant = model.GetConstantValue(value, cancellationToken);
            if (constant.HasValue && constant.Value is string text)
            {
                template = StringParts.EscapeTemplateText(text);
            }
            else if (model.GetTypeInfo(value, cancellationToken).Type?.SpecialType == SpecialType.System_String
                && StringParts.Split(value, model, cancellationToken) is List<StringPart> parts)
            {
                (template, templateArguments) = StringParts.ToTemplate(parts);
            }
            else
            {
                template = "{" + StringParts.PropertyName(value) + "}";
                templateArguments.Add(value.WithoutTrivia());
            }

            var newArguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(StringParts.StringLiteral(template)) };
            newArguments.AddRange(templateArguments.Select(SyntaxFactory.Argument));
            return SyntaxFactory.InvocationExpression(FixHelpers.SerilogCall(level), SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(newArguments)))
                .WithTriviaFrom(invocation);
        }
    }
}
