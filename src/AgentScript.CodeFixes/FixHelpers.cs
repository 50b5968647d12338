using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AgentScript.CodeFixes
{
    internal static class FixHelpers
    {
        /// <summary>A fully qualified name that the code action's clean-up shortens and imports where it can.</summary>
        public static TExpression Simplified<TExpression>(TExpression node) where TExpression : SyntaxNode =>
            node.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);

        public static ExpressionSyntax SerilogCall(string level) =>
            Simplified(SyntaxFactory.ParseExpression("global::Serilog.Log." + level));

        public static async Task<(SyntaxNode Root, SemanticModel Model)> RootAndModel(Document document, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return (root!, model!);
        }

        /// <summary>
        /// Adds the usings that the fix's qualified names need (the code action's own clean-up then shortens them):
        /// <c>global::Serilog.Log.Information</c> becomes <c>Log.Information</c> plus <c>using Serilog;</c>.
        /// </summary>
        public static Task<Document> AddImportsAsync(Document document, CancellationToken cancellationToken) =>
            ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);

        /// <summary>The innermost node of type <typeparamref name="T"/> at the diagnostic's span.</summary>
        public static T? NodeAt<T>(SyntaxNode root, Diagnostic diagnostic) where T : SyntaxNode
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            return node as T ?? node.FirstAncestorOrSelf<T>();
        }

        /// <summary>True when the compilation knows <paramref name="metadataName"/> (the fix's target API exists).</summary>
        public static bool Has(SemanticModel model, string metadataName) => model.Compilation.GetTypeByMetadataName(metadataName) != null;
    }
}
