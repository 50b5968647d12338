using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.Generators.Generator
{
    /// <summary>
    /// Finds the method a call site calls, binding as little as the answer allows. <c>GetSymbolInfo</c> binds the
    /// call's whole statement, and where nullable analysis is on (the usual case) the whole member body plus its nullable
    /// analysis; public speculative binding runs that same analysis first. The compiler binds every body again when it
    /// emits, so that work is paid twice. A plain call is therefore bound alone, speculatively, on a semantic model
    /// without nullable analysis; any other call, or an answer that nullable analysis could change, gets
    /// <c>GetSymbolInfo</c>.
    /// </summary>
    internal static class CallSiteBinder
    {
        // One model without nullable analysis per model the generator is given (one per tree), so its member models
        // are reused across the calls of a file. Holds the given model itself when the API is unavailable.
        private static readonly ConditionalWeakTable<SemanticModel, SemanticModel> ModelsWithoutNullable = new ConditionalWeakTable<SemanticModel, SemanticModel>();

        public static IMethodSymbol? Resolve(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken) =>
            TryResolveAlone(model, invocation, out var method)
                ? method
                : model.GetSymbolInfo(invocation, cancellationToken).Symbol as IMethodSymbol;

        /// <summary>
        /// Binds <paramref name="invocation"/> on its own; true only when that is known to give what <c>GetSymbolInfo</c>
        /// gives: a plain call (see <see cref="IsPlain"/>) resolved to one method whose symbol nullable analysis leaves
        /// as it is (no type arguments anywhere, which that analysis may re-infer).
        /// </summary>
        internal static bool TryResolveAlone(SemanticModel model, InvocationExpressionSyntax invocation, out IMethodSymbol? method)
        {
            method = null;
            if (!IsPlain(invocation))
                return false;
            var bare = ModelsWithoutNullable.GetValue(model, static m => WithoutNullableAnalysis(m) ?? m);
            if (ReferenceEquals(bare, model))
                return false;
            var info = bare.GetSpeculativeSymbolInfo(invocation.SpanStart, invocation, SpeculativeBindingOption.BindAsExpression);
            if (!(info.Symbol is IMethodSymbol called) || info.CandidateReason != CandidateReason.None || !info.CandidateSymbols.IsEmpty
                || HasTypeArguments(called))
                return false;
            method = called;
            return true;
        }

        /// <summary>
        /// True for a call in a method, constructor, operator or accessor body whose binding does not depend on what
        /// encloses it: not in a lambda, local function, query, initializer, attribute, constructor initializer,
        /// top-level statement, <c>nameof</c>, checked or unsafe region, nor after <c>?.</c>; and with nothing inside
        /// it that declares variables or takes its type from where it stands (lambdas, <c>out var</c>, <c>new()</c>,
        /// <c>default</c>, collection, conditional, switch and <c>is</c> expressions). Conservative: the rest gets
        /// <c>GetSymbolInfo</c>.
        /// </summary>
        private static bool IsPlain(InvocationExpressionSyntax invocation)
        {
            if (invocation.ContainsDiagnostics || IsNameOf(invocation))
                return false;
            foreach (var node in invocation.DescendantNodes())
            {
                if (IsTypedByContext(node))
                    return false;
            }
            SyntaxNode child = invocation;
            for (var node = invocation.Parent; node != null; child = node, node = node.Parent)
            {
                switch (node)
                {
                    case BlockSyntax _ when node.Parent is BaseMethodDeclarationSyntax || node.Parent is AccessorDeclarationSyntax:
                    case ArrowExpressionClauseSyntax _ when node.Parent is BaseMethodDeclarationSyntax || node.Parent is AccessorDeclarationSyntax
                        || node.Parent is BasePropertyDeclarationSyntax:
                        return true;
                    case ConditionalAccessExpressionSyntax access when access.WhenNotNull == child:
                    case InvocationExpressionSyntax outer when IsNameOf(outer):
                    case AnonymousFunctionExpressionSyntax _:
                    case LocalFunctionStatementSyntax _:
                    case QueryExpressionSyntax _:
                    case CheckedExpressionSyntax _:
                    case CheckedStatementSyntax _:
                    case UnsafeStatementSyntax _:
                    case MemberDeclarationSyntax _: // reached a declaration outside its body: initializer, attribute, top level
                        return false;
                }
            }
            return false;
        }

        private static bool IsTypedByContext(SyntaxNode node)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax _:
                case DeclarationExpressionSyntax _:
                case ImplicitObjectCreationExpressionSyntax _:
                case CollectionExpressionSyntax _:
                case ConditionalExpressionSyntax _:
                case SwitchExpressionSyntax _:
                case IsPatternExpressionSyntax _:
                case ThrowExpressionSyntax _:
                case StackAllocArrayCreationExpressionSyntax _:
                case ImplicitStackAllocArrayCreationExpressionSyntax _:
                case QueryExpressionSyntax _:
                    return true;
                case LiteralExpressionSyntax literal:
                    return literal.IsKind(SyntaxKind.DefaultLiteralExpression);
                case InvocationExpressionSyntax call:
                    return IsNameOf(call);
                default:
                    return false;
            }
        }

        private static bool IsNameOf(InvocationExpressionSyntax invocation) =>
            invocation.Expression is IdentifierNameSyntax name && name.Identifier.ValueText == "nameof";

        /// <summary>True when the method or a type containing it has type arguments: nullable analysis may re-infer them.</summary>
        private static bool HasTypeArguments(IMethodSymbol method)
        {
            if (method.IsGenericMethod || method.ReducedFrom?.IsGenericMethod == true)
                return true;
            for (var type = method.ContainingType; type != null; type = type.ContainingType)
            {
                if (type.IsGenericType)
                    return true;
            }
            return false;
        }

        // Experimental in Roslyn (RSEXPERIMENTAL001), used by the IDE for the same reason. Kept out of line so that a
        // compiler without it fails only this call, and the generator falls back to GetSymbolInfo.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static SemanticModel? WithoutNullableAnalysis(SemanticModel model)
        {
            try
            {
                return Create(model);
            }
            catch (MissingMemberException)
            {
                return null;
            }
            catch (TypeLoadException)
            {
                return null;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static SemanticModel Create(SemanticModel model) =>
#pragma warning disable RSEXPERIMENTAL001
            model.Compilation.GetSemanticModel(model.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis);
#pragma warning restore RSEXPERIMENTAL001
    }
}
