// Fix-All for fixes that rewrite nodes of one document: all occurrences in one pass, whatever the first one is.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentScript.CodeFixes
{
    /// <summary>
    /// A Fix-All provider that rewrites every fixable occurrence of a document in one syntax edit. The batch fixer asks the
    /// provider for a code action per diagnostic and keeps those with the first diagnostic's equivalence key: when the first
    /// occurrence has no fix (dotnet format takes the first), nothing was fixed; and fixes that each add a using conflicted,
    /// so a second pass was needed. Unfixable occurrences are skipped here; the others are fixed.
    /// </summary>
    internal static class DocumentFixAll
    {
        /// <param name="rewrite">For one diagnostic: the node to replace and its replacement (null to remove the node), or null when there is no fix. A fix removes or replaces, not both.</param>
        /// <param name="finish">Run once on the rewritten document (e.g. to add usings).</param>
        public static FixAllProvider Create(
            Func<SyntaxNode, SemanticModel, Diagnostic, CancellationToken, (SyntaxNode Node, SyntaxNode? Replacement)?> rewrite,
            Func<Document, CancellationToken, Task<Document>>? finish = null) =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
            {
                var ct = context.CancellationToken;
                var (root, model) = await FixHelpers.RootAndModel(document, ct).ConfigureAwait(false);
                var edits = new Dictionary<SyntaxNode, SyntaxNode?>();
                foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
                {
                    var edit = rewrite(root, model, diagnostic, ct);
                    // An occurrence inside another one's node is left for the next pass (the outer rewrite keeps it as it was).
                    if (edit != null && !edits.Keys.Any(n => n.Span.Contains(edit.Value.Node.Span) || edit.Value.Node.Span.Contains(n.Span)))
                        edits.Add(edit.Value.Node, edit.Value.Replacement);
                }
                if (edits.Count == 0)
                    return document;
                // A fix either removes its nodes (AGS007) or replaces them (the others), never both.
                var newRoot = edits.Values.All(v => v == null)
                    ? root.RemoveNodes(edits.Keys, SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepDirectives)!
                    : root.ReplaceNodes(edits.Keys.Where(k => edits[k] != null), (original, _) => edits[original]!);
                var result = document.WithSyntaxRoot(newRoot);
                return finish == null ? result : await finish(result, ct).ConfigureAwait(false);
            });
    }
}
