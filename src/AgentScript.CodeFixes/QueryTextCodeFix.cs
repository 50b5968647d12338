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
        public override FixAllProvider GetFixAllProvider() => DocumentFixAll.Create(
            (root, model, diagnostic, ct) =>
            {
                var argument = diagnostic.Properties.ContainsKey(QueryTextAnalyzer.FixableProperty) ? FixHelpers.NodeAt<ArgumentSyntax>(root, diagnostic) : null;
                var list = argument == null ? null : Rewrite(argument, model, ct);
                return list == null ? null : (argument!.Parent!, (SyntaxNode?)list);
            },
            FixHelpers.AddImportsAsync);

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

        /// <summary>
        /// The quote character of the SQL/AQL string literal open at the end of <paramref name="query"/>, or null when
        /// none is open. A doubled quote inside a literal is an escaped quote; a backslash escape makes the state
        /// uncertain, which counts as open (so no fix is offered).
        /// </summary>
        private static char? OpenQuote(string query)
        {
            char? open = null;
            for (var i = 0; i < query.Length; i++)
            {
                var c = query[i];
                if (open == null)
                {
                    if (c == '\'' || c == '"')
                        open = c;
                }
                else if (c == '\\')
                {
                    return '\\';
                }
                else if (c == open)
                {
                    open = null; // closing quote (or the first of a doubled one, reopened by the next character)
                }
            }
            return open;
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
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                if (part.Value == null)
                {
                    text.Append(part.Text);
                    continue;
                }
                // A value spliced into a quoted literal ('…' + id + '…') is the literal's whole content only when the
                // quotes sit right around it; then they go with it (a bind parameter in quotes is matched as text). Any
                // other position inside quotes (a LIKE pattern, a prefix) has no faithful rewrite: no fix.
                var quote = OpenQuote(text.ToString());
                if (quote != null)
                {
                    var next = i + 1 < parts.Count ? parts[i + 1] : null;
                    if (text.Length == 0 || text[text.Length - 1] != quote || next?.Text == null || next.Text.Length == 0 || next.Text[0] != quote)
                        return null;
                    text.Length--;
                    parts[i + 1] = new StringPart(next.Text.Substring(1));
                }
                var name = "p" + entries.Count;
                text.Append('@').Append(name);
                entries.Add("[\"" + name + "\"] = " + part.Value.ToString());
            }
            if (OpenQuote(text.ToString()) != null)
                return null;

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
