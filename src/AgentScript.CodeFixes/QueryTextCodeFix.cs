using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
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
    /// <summary>
    /// AGS012: turns the holes of query text passed to <c>AgentLog.Query*</c>/<c>IAgentLogStore.QueryAsync</c> into bind
    /// parameters: <c>$"… = {x}"</c> becomes <c>"… = @p0"</c> plus <c>parameters: new Dictionary&lt;string, object?&gt; { ["p0"] = x }</c>.
    /// The analyzer marks which diagnostics have such a dictionary to fill; ADO.NET <c>CommandText</c> gets no fix.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(QueryTextCodeFix)), Shared]
    public sealed class QueryTextCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DynamicQueryText);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var (root, model) = await FixHelpers.RootAndModel(context.Document, context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.ContainsKey(QueryTextAnalyzer.FixableProperty))
                    continue;
                var argument = FixHelpers.NodeAt<ArgumentSyntax>(root, diagnostic);
                if (argument == null || Rewrite(argument, model, context.CancellationToken) == null)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Pass the values as bind parameters",
                    ct => Apply(context.Document, argument.Span, ct), nameof(QueryTextCodeFix)), diagnostic);
            }
        }

        private static async Task<Document> Apply(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            var (root, model) = await FixHelpers.RootAndModel(document, cancellationToken).ConfigureAwait(false);
            var argument = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ArgumentSyntax>();
            var list = argument == null ? null : Rewrite(argument, model, cancellationToken);
            return list == null ? document : await FixHelpers.AddImportsAsync(document.WithSyntaxRoot(root.ReplaceNode(argument!.Parent!, list)), cancellationToken).ConfigureAwait(false);
        }

        private static ArgumentListSyntax? Rewrite(ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        {
            if (!(argument.Parent is ArgumentListSyntax list))
                return null;
            var parts = StringParts.Split(argument.Expression, model, cancellationToken);
            // A formatted or aligned hole changes the value's text; a bind parameter would change the query's meaning.
            if (parts == null || !parts.Any(p => p.Value != null) || parts.Any(p => p.Format != null || p.Alignment != null))
                return null;

            var text = new StringBuilder();
            var entries = new List<string>();
            foreach (var part in parts)
            {
                if (part.Value == null)
                {
                    text.Append(part.Text);
                    continue;
                }
                var name = "p" + entries.Count;
                text.Append('@').Append(name);
                entries.Add("[\"" + name + "\"] = " + part.Value.ToString());
            }

            // Written as text (then parsed) so the initializer gets ordinary spacing without a formatting pass.
            var nullable = model.GetNullableContext(argument.SpanStart).AnnotationsEnabled() ? "?" : "";
            var dictionary = (ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression(
                "new global::System.Collections.Generic.Dictionary<string, object" + nullable + "> { " + string.Join(", ", entries) + " }");
            dictionary = dictionary.WithType(FixHelpers.Simplified(dictionary.Type));
            var parameters = SyntaxFactory.Argument(SyntaxFactory.NameColon("parameters"), default, dictionary);

            var index = list.Arguments.IndexOf(argument);
            var arguments = list.Arguments.Replace(argument, argument.WithExpression(StringParts.StringLiteral(text.ToString()).WithTriviaFrom(argument.Expression)));
            arguments = arguments.Insert(index + 1, parameters);
            return list.WithArguments(arguments);
        }
    }
}
