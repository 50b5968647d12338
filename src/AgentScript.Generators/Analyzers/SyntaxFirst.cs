using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// Runs an operation-based check only on the syntax nodes a cheap syntactic test selects. An operation action makes
    /// the analyzer driver bind every method body of the project a second time (the compiler's own binding for emit is
    /// not shared), which cost more than the whole compile on a 200-file project; here a body is bound only when it holds
    /// a candidate node. The tests are conservative: a node they reject is one the check could never report on.
    /// </summary>
    internal static class SyntaxFirst
    {
        public static void RegisterOperationAction(CompilationStartAnalysisContext start, Action<OperationContext> action,
            Func<SyntaxNode, bool> isCandidate, OperationKind operationKind, params SyntaxKind[] syntaxKinds)
        {
            start.RegisterSyntaxNodeAction(c =>
            {
                if (!isCandidate(c.Node))
                    return;
                Run(c, c.Node, operationKind, action);
            }, syntaxKinds);
        }

        /// <summary>Binds <paramref name="node"/> and runs <paramref name="action"/> on its operation when it is of <paramref name="operationKind"/>.</summary>
        public static void Run(SyntaxNodeAnalysisContext c, SyntaxNode node, OperationKind operationKind, Action<OperationContext> action)
        {
            var operation = c.SemanticModel.GetOperation(node, c.CancellationToken);
            if (operation == null || operation.Kind != operationKind)
                return;
            action(new OperationContext(operation, c));
        }

        /// <summary>The called member's simple name (<c>b</c> in <c>a.b(…)</c>, <c>a?.b(…)</c>, <c>b&lt;T&gt;(…)</c>), or null.</summary>
        public static string? InvokedName(SyntaxNode node) =>
            // Delegate calls through other expressions are not a named API: null.
            node is InvocationExpressionSyntax invocation ? RightmostName(invocation.Expression) : null;

        /// <summary>The rightmost name of an assignment target (<c>x</c>, <c>a.x</c>, <c>a?.x</c>), or null.</summary>
        public static string? AssignedName(SyntaxNode node) =>
            node is AssignmentExpressionSyntax assignment ? RightmostName(assignment.Left) : null;

        /// <summary>The rightmost simple name of <c>x</c>, <c>a.x</c> or <c>a?.x</c>; null for any other expression.</summary>
        private static string? RightmostName(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case MemberAccessExpressionSyntax access:
                    return access.Name.Identifier.ValueText;
                case SimpleNameSyntax simple:
                    return simple.Identifier.ValueText;
                case MemberBindingExpressionSyntax binding:
                    return binding.Name.Identifier.ValueText;
                default:
                    return null;
            }
        }

        /// <summary>
        /// True when some argument could be text built from parts (what <see cref="StringBuilding.Classify"/> recognises):
        /// an interpolated string, a <c>+</c>, or a call (string.Format/Concat), possibly in parentheses.
        /// </summary>
        public static bool HasBuiltStringArgument(ArgumentListSyntax? arguments, bool allowLocal = false)
        {
            if (arguments == null)
                return false;
            foreach (var argument in arguments.Arguments)
            {
                // A named sql/aql/commandText argument may hold built text through a local variable.
                var named = argument.NameColon?.Name.Identifier.ValueText;
                if (MayBeBuiltString(argument.Expression, allowLocal || named == "sql" || named == "aql" || named == "commandText"))
                    return true;
            }
            return false;
        }

        /// <summary>
        /// True when <paramref name="expression"/> could be built text; with <paramref name="allowLocal"/>, also a plain
        /// name (a local variable whose initializer may be built text).
        /// </summary>
        public static bool MayBeBuiltString(ExpressionSyntax expression, bool allowLocal = false)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
                expression = parenthesized.Expression;
            return expression.IsKind(SyntaxKind.InterpolatedStringExpression)
                || expression.IsKind(SyntaxKind.AddExpression)
                || expression.IsKind(SyntaxKind.InvocationExpression)
                || allowLocal && expression.IsKind(SyntaxKind.IdentifierName);
        }

        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<bool>> Aliases = new ConditionalWeakTable<SyntaxTree, StrongBox<bool>>();

        /// <summary>True when the file declares a using alias, so a type may appear under another name (once per file).</summary>
        public static bool HasUsingAlias(SyntaxNode node) =>
            Aliases.GetValue(node.SyntaxTree, tree => new StrongBox<bool>(tree.GetRoot()
                .DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.Alias != null))).Value;
    }

    /// <summary>What an operation check needs: the operation, its containing symbol and a way to report.</summary>
    internal readonly struct OperationContext
    {
        private readonly SyntaxNodeAnalysisContext _context;

        public OperationContext(IOperation operation, SyntaxNodeAnalysisContext context)
        {
            Operation = operation;
            _context = context;
        }

        public IOperation Operation { get; }

        public ISymbol? ContainingSymbol => _context.ContainingSymbol;

        public CancellationToken CancellationToken => _context.CancellationToken;

        public void ReportDiagnostic(Diagnostic diagnostic) => _context.ReportDiagnostic(diagnostic);
    }
}
