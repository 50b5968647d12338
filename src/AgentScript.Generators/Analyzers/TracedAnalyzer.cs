using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS013: a <c>[Traced]</c> method the generator's interceptors cannot wrap, with the reason. The reasons mirror
    /// what the generator leaves untraced (see Generator/TracedCallReader): inaccessible methods, struct receivers,
    /// ref-like or pointer signatures, plus what interception cannot see at all: dispatch through another
    /// declaration, delegates, local functions and partial methods without a body.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TracedAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UntraceableMethod);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols?.TracedAttribute == null)
                    return;
                start.RegisterSymbolAction(c =>
                {
                    var method = (IMethodSymbol)c.Symbol;
                    if (!symbols.IsTraced(method) || method.Locations.Length == 0)
                        return;
                    var reason = Reason(method);
                    if (reason != null)
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, method.Locations[0], Display(method), reason));
                }, SymbolKind.Method);
                start.RegisterSyntaxNodeAction(c =>
                {
                    var function = (LocalFunctionStatementSyntax)c.Node;
                    if (function.AttributeLists.Count == 0)
                        return;
                    if (c.SemanticModel.GetDeclaredSymbol(function, c.CancellationToken) is IMethodSymbol method && symbols.IsTraced(method))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, function.Identifier.GetLocation(), method.Name,
                            "it is a local function, and only methods of a type can be intercepted; make it a method of the class"));
                }, SyntaxKind.LocalFunctionStatement);
                // A method group is a name not called; only names of [Traced] methods are bound (the name filter reads the
                // declaration table, once per name and compilation).
                var names = Generator.TracedNameFilter.For(start.Compilation);
                Action<OperationContext> reportMethodGroup = c =>
                {
                    var reference = (IMethodReferenceOperation)c.Operation;
                    var method = reference.Method.ReducedFrom ?? reference.Method;
                    if (symbols.IsTraced(method.OriginalDefinition))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, reference.Syntax.GetLocation(), Display(method),
                            "it is used as a method group here, and calls through the delegate are not traced; pass a lambda that calls it instead"));
                };
                start.RegisterSyntaxNodeAction(c =>
                {
                    var name = c.Node switch
                    {
                        MemberAccessExpressionSyntax access => access.Name,
                        MemberBindingExpressionSyntax binding => binding.Name,
                        SimpleNameSyntax simple when !(c.Node.Parent is MemberAccessExpressionSyntax a && a.Name == c.Node)
                            && !(c.Node.Parent is MemberBindingExpressionSyntax) => simple,
                        _ => null,
                    };
                    // The callee of a call is not a method group.
                    if (name == null || (c.Node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == c.Node))
                        return;
                    if (!names.MayBeTraced(name.Identifier.ValueText))
                        return;
                    SyntaxFirst.Run(c, c.Node, OperationKind.MethodReference, reportMethodGroup);
                }, SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.PointerMemberAccessExpression, SyntaxKind.MemberBindingExpression,
                    SyntaxKind.IdentifierName, SyntaxKind.GenericName);
            });
        }

        private static string Display(IMethodSymbol method) => method.ContainingType == null ? method.Name : method.ContainingType.Name + "." + method.Name;

        internal static string? Reason(IMethodSymbol method)
        {
            if (method.MethodKind == MethodKind.LocalFunction)
                return null; // Reported by the syntax action with its own wording.
            if (method.MethodKind != MethodKind.Ordinary)
                return "only ordinary methods are called by name (not operators, conversions, accessors or constructors)";
            if (method.ContainingType?.TypeKind == TypeKind.Interface)
                return "it is an interface member; calls are dispatched at run time and the implementations carry no [Traced]; put [Traced] on a non-virtual method";
            if (method.IsAbstract || method.IsVirtual || method.IsOverride)
            {
                var what = method.IsAbstract ? "abstract" : method.IsOverride ? "an override" : "virtual";
                return "it is " + what + "; calls through another declaration of the method bind to one without [Traced]; put [Traced] on a non-virtual (or sealed) method";
            }
            if (method.IsPartialDefinition && method.PartialImplementationPart == null)
                return "it is a partial method without an implementation, so its calls are removed by the compiler";
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
            {
                if (t.IsFileLocal)
                    return "its type is file-local, so the generated interceptor cannot name it";
                if (!IsAccessible(t.DeclaredAccessibility))
                    return "its containing type " + t.Name + " is private or protected, so the generated interceptor cannot call it; make the type internal";
            }
            if (!IsAccessible(method.DeclaredAccessibility))
                return "it is private or protected, so the generated interceptor (in another class) cannot call it; make it internal or public";
            if (!method.IsStatic && method.ContainingType?.IsValueType == true)
                return "it is an instance method of a struct, and interceptors do not wrap struct receivers; make it static or move it to a class";
            if (method.ReturnType.IsRefLikeType || method.ReturnType.TypeKind == TypeKind.Pointer || method.ReturnsByRef || method.ReturnsByRefReadonly)
                return "it returns a ref struct, a pointer or by reference, which an interceptor cannot pass through";
            var isAsync = !method.ReturnsVoid && method.ReturnType.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";
            foreach (var p in method.Parameters)
            {
                if (p.Type.IsRefLikeType || p.Type.TypeKind == TypeKind.Pointer || p.Type.TypeKind == TypeKind.FunctionPointer || p.ScopedKind != ScopedKind.None)
                    return "parameter '" + p.Name + "' is a ref struct, pointer or scoped, which an interceptor cannot pass through";
                if (isAsync && p.RefKind != RefKind.None)
                    return "it is async and parameter '" + p.Name + "' is by reference, which an async interceptor cannot take";
            }
            return null;
        }

        private static bool IsAccessible(Accessibility accessibility) =>
            accessibility == Accessibility.Public || accessibility == Accessibility.Internal
            || accessibility == Accessibility.ProtectedOrInternal || accessibility == Accessibility.NotApplicable;
    }
}
