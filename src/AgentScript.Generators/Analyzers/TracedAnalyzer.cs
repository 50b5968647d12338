using System;
using System.Collections.Immutable;
using System.Linq;
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
                // Interceptors are file-local classes (C# 11): with an older LangVersion the generator writes none.
                var languageVersion = start.Compilation.SyntaxTrees.Select(t => t.Options).OfType<CSharpParseOptions>().FirstOrDefault()?.LanguageVersion;
                var tooOld = languageVersion != null && (int)languageVersion.Value < Shared.TracedShapes.MinimumLanguageVersion * 100
                    ? "the project's C# version " + languageVersion.Value.ToDisplayString() + " is older than C# "
                      + Shared.TracedShapes.MinimumLanguageVersion + ", which the generated interceptors need; set <LangVersion> to "
                      + Shared.TracedShapes.MinimumLanguageVersion + " or later (or remove it to get the SDK's default)"
                    : null;
                // Syntax first (no binding): which method names may be [Traced] at all. Without any, nothing below can report.
                var names = Generator.TracedNameFilter.For(start.Compilation);
                start.RegisterSyntaxNodeAction(c =>
                {
                    var function = (LocalFunctionStatementSyntax)c.Node;
                    if (function.AttributeLists.Count == 0)
                        return;
                    if (c.SemanticModel.GetDeclaredSymbol(function, c.CancellationToken) is IMethodSymbol method && symbols.IsTraced(method))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, function.Identifier.GetLocation(), method.Name,
                            "it is a local function, and only methods of a type can be intercepted; make it a method of the class"));
                }, SyntaxKind.LocalFunctionStatement);
                if (!names.AnyCandidates)
                    return;
                start.RegisterSymbolAction(c =>
                {
                    var method = (IMethodSymbol)c.Symbol;
                    if (!names.MayDeclareTraced(method) || !symbols.IsTraced(method) || method.Locations.Length == 0)
                        return;
                    var reason = method.MethodKind == MethodKind.LocalFunction ? null : tooOld ?? Reason(method);
                    if (reason != null)
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, method.Locations[0], Display(method), reason));
                }, SymbolKind.Method);
                // Method groups and calls passing type parameters: the names of [Traced] methods are found in each file's text
                // (a walk over every token cost more than all other rules together), and only they are bound. Calls bound at
                // run time need a dynamic value: only where this file names `dynamic` or a member of the project is typed
                // with it are other calls bound.
                start.RegisterSemanticModelAction(c =>
                {
                    var (candidates, mayBeDynamic) = TracedReferenceFinder.Find(c.SemanticModel.SyntaxTree, names, c.CancellationToken);
                    foreach (var name in candidates)
                    {
                        var diagnostic = CheckReference(c.SemanticModel, name, symbols, tooOld, names, mayBeDynamic || names.DeclaresDynamicMembers, c.CancellationToken);
                        if (diagnostic != null)
                            c.ReportDiagnostic(diagnostic);
                    }
                });
            });
        }

        /// <summary>AGS013 at a reference to a [Traced] method: used as a method group, or called with a type parameter of the calling code.</summary>
        private static Diagnostic? CheckReference(SemanticModel model, SimpleNameSyntax name, AgentScriptSymbols symbols, string? tooOld,
            Generator.TracedNameFilter names, bool mayBeDynamic, System.Threading.CancellationToken cancellationToken)
        {
            // The node a reference is: the member access or binding whose name this is, or the name itself.
            SyntaxNode node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access
                : name.Parent is MemberBindingExpressionSyntax binding ? binding
                : name;
            if (!names.MayBeTraced(name.Identifier.ValueText))
                return null;
            if (node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == node)
            {
                if (mayBeDynamic && tooOld == null && invocation.ArgumentList.Arguments.Count > 0 && LateBoundTraced(model, invocation, symbols, cancellationToken) is { } late)
                    return Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, invocation.GetLocation(), Display(late),
                        "this call has a dynamic argument, so it is bound at run time and cannot be intercepted; cast the argument to its type");
                // The callee of a call is not a method group, but its type arguments may be ones the interceptor cannot
                // name: type parameters of generic calling code, or anonymous or private types (a generic [Traced] method).
                var inGenericCode = node.Ancestors().Any(a => a is TypeDeclarationSyntax type && type.TypeParameterList != null
                    || a is MethodDeclarationSyntax m && m.TypeParameterList != null || a is LocalFunctionStatementSyntax f && f.TypeParameterList != null);
                if (!inGenericCode && !names.IsGenericCandidateName(name.Identifier.ValueText))
                    return null;
                if (!(model.GetOperation(invocation, cancellationToken) is IInvocationOperation call))
                    return null;
                // The interceptor would have to be generic itself, which the generator does not write; said at the call.
                var method = call.TargetMethod.ReducedFrom != null ? call.TargetMethod.GetConstructedReducedFrom() ?? call.TargetMethod : call.TargetMethod;
                if (tooOld != null || !symbols.IsTraced(method.OriginalDefinition) || Reason(method.OriginalDefinition) != null)
                    return null;
                var open = OpenTypeArgument(method);
                if (open != null)
                    return Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, call.Syntax.GetLocation(), Display(method),
                        "this call passes the type parameter " + open.Name + " of the calling code, and the generated interceptor can only "
                        + "name concrete types; call it from non-generic code, or trace the calling method instead");
                var hidden = TypeArguments(method).FirstOrDefault(t => !Shared.TracedShapes.IsNameable(t));
                return hidden == null ? null : Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, call.Syntax.GetLocation(), Display(method),
                    "this call's type argument " + hidden.ToDisplayString() + " is an anonymous, private, protected or file-local type "
                    + "the generated interceptor cannot name; pass a named internal or public type, or trace the calling method instead");
            }
            if (!(model.GetOperation(node, cancellationToken) is IMethodReferenceOperation reference))
                return null;
            var referenced = reference.Method.ReducedFrom ?? reference.Method;
            return symbols.IsTraced(referenced.OriginalDefinition)
                ? Diagnostic.Create(DiagnosticDescriptors.UntraceableMethod, reference.Syntax.GetLocation(), Display(referenced),
                    "it is used as a method group here, and calls through the delegate are not traced; pass a lambda that calls it instead")
                : null;
        }

        /// <summary>The [Traced] method a call bound at run time (a dynamic argument) would reach, or null.</summary>
        private static IMethodSymbol? LateBoundTraced(SemanticModel model, InvocationExpressionSyntax invocation, AgentScriptSymbols symbols,
            System.Threading.CancellationToken cancellationToken)
        {
            if (!(model.GetOperation(invocation, cancellationToken) is IDynamicInvocationOperation))
                return null;
            // With one applicable method the compiler names it; with several they are candidates.
            var info = model.GetSymbolInfo(invocation, cancellationToken);
            var methods = info.Symbol is IMethodSymbol single ? new[] { single } : info.CandidateSymbols.OfType<IMethodSymbol>();
            return methods.Select(m => m.ReducedFrom ?? m)
                .FirstOrDefault(m => symbols.IsTraced(m.OriginalDefinition) && Reason(m.OriginalDefinition) == null);
        }

        private static string Display(IMethodSymbol method) => method.ContainingType == null ? method.Name : method.ContainingType.Name + "." + method.Name;

        internal static string? Reason(IMethodSymbol method)
        {
            if (method.MethodKind == MethodKind.LocalFunction)
                return null; // Reported by the syntax action with its own wording.
            if (method.MethodKind != MethodKind.Ordinary)
                return "only ordinary methods are called by name (not operators, conversions, accessors or constructors)";
            // Interface, abstract, virtual and override methods are fine: calls that bind to this declaration are
            // intercepted and dispatch as usual (docs/rules/AGS013.md: calls through another declaration are not).
            if (Shared.TracedShapes.IsInExtensionBlock(method))
                return "it is declared in an extension block (extension(...) { }), whose type the generated interceptor cannot name; declare it as a classic extension method (static ... " + method.Name + "(this T value, ...)) in a static class";
            if (Shared.TracedShapes.ReturnsAsyncStream(method))
                return "it returns an async stream, which runs only when the caller enumerates it, after a span around the call has ended; trace the method that enumerates it, or return Task<List<T>>";
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
            if (!method.ReturnsVoid && ContainsDynamic(method.ReturnType))
                return "it returns dynamic, which the generated interceptor does not pass through; return object or a named type";
            foreach (var p in method.Parameters)
            {
                if (ContainsDynamic(p.Type))
                    return "parameter '" + p.Name + "' is dynamic, which the generated interceptor does not pass through; take object or a named type";
                if (p.Type.IsRefLikeType)
                    return "parameter '" + p.Name + "' is a ref struct, which an interceptor cannot pass through";
                if (p.Type.TypeKind == TypeKind.Pointer || p.Type.TypeKind == TypeKind.FunctionPointer)
                    return "parameter '" + p.Name + "' is a pointer, which an interceptor cannot pass through";
                // An out parameter is implicitly scoped; only an explicit `scoped` is a problem.
                if (p.ScopedKind != ScopedKind.None && p.RefKind != RefKind.Out)
                    return "parameter '" + p.Name + "' is scoped, which an interceptor cannot pass through; remove 'scoped'";
                if (isAsync && p.RefKind != RefKind.None)
                    return "it is async and parameter '" + p.Name + "' is by reference, which an async interceptor cannot take";
            }
            return null;
        }

        /// <summary>The method's type arguments, then its containing types' (innermost first).</summary>
        private static System.Collections.Generic.IEnumerable<ITypeSymbol> TypeArguments(IMethodSymbol method)
        {
            foreach (var t in method.TypeArguments)
                yield return t;
            for (var type = method.ContainingType; type != null; type = type.ContainingType)
            {
                foreach (var t in type.TypeArguments)
                    yield return t;
            }
        }

        /// <summary>The first type parameter among the method's or its containing types' type arguments, or null.</summary>
        private static ITypeParameterSymbol? OpenTypeArgument(IMethodSymbol method)
        {
            foreach (var t in method.TypeArguments)
            {
                var open = FindTypeParameter(t);
                if (open != null)
                    return open;
            }
            for (var type = method.ContainingType; type != null; type = type.ContainingType)
            {
                foreach (var t in type.TypeArguments)
                {
                    var open = FindTypeParameter(t);
                    if (open != null)
                        return open;
                }
            }
            return null;
        }

        private static ITypeParameterSymbol? FindTypeParameter(ITypeSymbol type)
        {
            switch (type)
            {
                case ITypeParameterSymbol parameter:
                    return parameter;
                case IArrayTypeSymbol array:
                    return FindTypeParameter(array.ElementType);
                case INamedTypeSymbol named:
                    foreach (var argument in named.TypeArguments)
                    {
                        var open = FindTypeParameter(argument);
                        if (open != null)
                            return open;
                    }
                    return null;
                default:
                    return null;
            }
        }

        private static bool ContainsDynamic(ITypeSymbol type) => type switch
        {
            IDynamicTypeSymbol _ => true,
            IArrayTypeSymbol array => ContainsDynamic(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsDynamic),
            _ => false,
        };

        private static bool IsAccessible(Accessibility accessibility) =>
            accessibility == Accessibility.Public || accessibility == Accessibility.Internal
            || accessibility == Accessibility.ProtectedOrInternal || accessibility == Accessibility.NotApplicable;
    }
}
