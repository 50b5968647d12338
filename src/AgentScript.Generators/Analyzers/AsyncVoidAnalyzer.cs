using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS008: <c>async void</c> methods, local functions and lambdas (an async lambda given to an <c>Action</c>). Event handlers (<c>(object, EventArgs)</c>), overrides and
    /// interface implementations are left alone: their signature is not theirs to change.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AsyncVoidAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.AsyncVoid);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols == null)
                    return;
                start.RegisterSyntaxNodeAction(c =>
                {
                    SyntaxTokenList modifiers;
                    TypeSyntax returnType;
                    SyntaxToken identifier;
                    switch (c.Node)
                    {
                        case MethodDeclarationSyntax m:
                            modifiers = m.Modifiers; returnType = m.ReturnType; identifier = m.Identifier;
                            break;
                        case LocalFunctionStatementSyntax f:
                            modifiers = f.Modifiers; returnType = f.ReturnType; identifier = f.Identifier;
                            break;
                        default:
                            return;
                    }
                    // Syntax first: the semantic model is only asked about the rare async void declarations.
                    if (!modifiers.Any(SyntaxKind.AsyncKeyword) || !(returnType is PredefinedTypeSyntax p) || !p.Keyword.IsKind(SyntaxKind.VoidKeyword))
                        return;
                    if (!(c.SemanticModel.GetDeclaredSymbol(c.Node, c.CancellationToken) is IMethodSymbol method))
                        return;
                    if (method.IsOverride || method.ExplicitInterfaceImplementations.Length > 0 || ImplementsInterfaceMember(method)
                        || IsEventHandlerShape(method, symbols))
                        return;
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoid, identifier.GetLocation(), method.Name));
                }, SyntaxKind.MethodDeclaration, SyntaxKind.LocalFunctionStatement);
                // An async lambda is async void when its delegate type returns void (Action, a void-returning delegate).
                start.RegisterSyntaxNodeAction(c =>
                {
                    var function = (AnonymousFunctionExpressionSyntax)c.Node;
                    if (!function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
                        return;
                    if (!(c.SemanticModel.GetSymbolInfo(function, c.CancellationToken).Symbol is IMethodSymbol lambda) || !lambda.ReturnsVoid
                        || IsEventHandlerShape(lambda, symbols))
                        return;
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoid, function.AsyncKeyword.GetLocation(), "async lambda"));
                }, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.SimpleLambdaExpression, SyntaxKind.AnonymousMethodExpression);
            });
        }

        private static bool IsEventHandlerShape(IMethodSymbol method, AgentScriptSymbols symbols) =>
            method.Parameters.Length == 2
            && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
            && AgentScriptSymbols.IsOrInherits(method.Parameters[1].Type, symbols.EventArgs);

        private static bool ImplementsInterfaceMember(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type == null || method.MethodKind != MethodKind.Ordinary)
                return false;
            foreach (var i in type.AllInterfaces)
            {
                foreach (var member in i.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                        return true;
                }
            }
            return false;
        }
    }
}
