using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Shared
{
    /// <summary>
    /// The one definition of the entry shapes the generator can call. The generator uses it to build its
    /// adapters; analyzer AGS001 reports <see cref="Problem"/> for every method it rejects.
    /// </summary>
    internal sealed class EntrySignature
    {
        /// <summary>Human text listing the supported shapes (used in diagnostics).</summary>
        public const string SupportedShapes =
            "static, or instance on a class with a public parameterless constructor; parameters: none, CancellationToken, ScriptContext, or both; " +
            "returns void, T, Task, Task<T>, ValueTask or ValueTask<T> (not IAsyncEnumerable<T>); not generic, no ref/out/in parameters";

        private EntrySignature(string? problem, bool isStatic, EntryReturnKind returnKind, ITypeSymbol? resultType, IReadOnlyList<EntryParameterKind> parameters)
        {
            Problem = problem;
            IsStatic = isStatic;
            ReturnKind = returnKind;
            ResultType = resultType;
            Parameters = parameters;
        }

        /// <summary>Null when the generator can call the method; otherwise why not.</summary>
        public string? Problem { get; }
        public bool IsSupported => Problem == null;
        public bool IsStatic { get; }
        public EntryReturnKind ReturnKind { get; }
        /// <summary>The final response type (T of T / Task&lt;T&gt; / ValueTask&lt;T&gt;), or null when the entry returns nothing.</summary>
        public ITypeSymbol? ResultType { get; }
        public IReadOnlyList<EntryParameterKind> Parameters { get; }
        public bool HasFinalResponse => ResultType != null;
        public bool IsAsync => ReturnKind != EntryReturnKind.Void && ReturnKind != EntryReturnKind.Value;

        public static EntrySignature Classify(IMethodSymbol method)
        {
            var parameters = new List<EntryParameterKind>();
            EntrySignature Fail(string problem) => new EntrySignature(problem, method.IsStatic, EntryReturnKind.Void, null, parameters);

            if (method.IsGenericMethod)
                return Fail("it is generic, and the generated Main cannot choose type arguments; remove the type parameters");
            if (method.IsAbstract)
                return Fail("it is abstract; give it a body");
            if (method.MethodKind != MethodKind.Ordinary)
                return Fail("only ordinary methods can be entries (not accessors, operators or local functions); use a method");
            if (method.DeclaredAccessibility == Accessibility.Private && method.ContainingType?.DeclaredAccessibility == Accessibility.Private)
                return Fail("the method and its type are private; make both internal");
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
            {
                if (t.IsGenericType)
                    return Fail("its containing type " + t.Name + " is generic, and the generated Main cannot choose type arguments; move the entry to a non-generic class");
                if (t.IsFileLocal)
                    return Fail($"its containing type {t.Name} is file-local, and the generated Main (in another file) cannot name it; remove 'file' from {t.Name}");
                var access = t.DeclaredAccessibility;
                if (t.ContainingType != null && (access == Accessibility.Private || access == Accessibility.Protected || access == Accessibility.ProtectedAndInternal))
                {
                    // Generated code lives in another type, not derived from this one: it cannot reach private or protected nested types.
                    return Fail($"its containing type {t.Name} is {(access == Accessibility.Private ? "private" : "protected")}, and the generated Main (in another class) cannot reach it; make {t.Name} internal");
                }
            }
            if (method.DeclaredAccessibility == Accessibility.Private || method.DeclaredAccessibility == Accessibility.Protected
                || method.DeclaredAccessibility == Accessibility.ProtectedAndInternal)
                return Fail("it is private or protected, and the generated Main (in another class) cannot call it; make it internal or public");
            if (!method.IsStatic)
            {
                var type = method.ContainingType;
                if (type == null || type.IsAbstract || type.IsStatic || type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct)
                    return Fail("an instance entry needs a non-abstract, non-static class or a struct; make the method static");
                if (type.TypeKind == TypeKind.Class && !type.InstanceConstructors.Any(c => c.Parameters.Length == 0
                    && (c.DeclaredAccessibility == Accessibility.Public || c.DeclaredAccessibility == Accessibility.Internal)))
                    return Fail($"{type.Name} has no public or internal parameterless constructor to create it with; add one or make the method static");
            }

            var seen = new HashSet<EntryParameterKind>();
            foreach (var p in method.Parameters)
            {
                if (p.RefKind != RefKind.None)
                    return Fail($"parameter '{p.Name}' is ref/out/in; pass it by value");
                var name = p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
                EntryParameterKind kind;
                if (name == WellKnownNames.CancellationToken)
                    kind = EntryParameterKind.CancellationToken;
                else if (name == WellKnownNames.ScriptContext)
                    kind = EntryParameterKind.ScriptContext;
                else
                    return Fail($"parameter '{p.Name}' has type {p.Type.ToDisplayString()}, but only CancellationToken and ScriptContext can be passed; read other input from context.Arguments");
                if (!seen.Add(kind))
                    return Fail($"parameter '{p.Name}' repeats a {kind} parameter; remove it");
                parameters.Add(kind);
            }

            var returnType = method.ReturnType;
            EntryReturnKind returnKind;
            ITypeSymbol? resultType = null;
            if (method.ReturnsVoid)
            {
                if (method.IsAsync)
                    return Fail("the method is async void; return Task instead");
                returnKind = EntryReturnKind.Void;
            }
            else if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                return Fail("it returns by reference; return the value");
            }
            else
            {
                var original = returnType.OriginalDefinition;
                var fullName = MetadataName(original);
                if (fullName == WellKnownNames.Task)
                    returnKind = EntryReturnKind.Task;
                else if (fullName == WellKnownNames.ValueTask)
                    returnKind = EntryReturnKind.ValueTask;
                else if (fullName == WellKnownNames.TaskOfT)
                {
                    returnKind = EntryReturnKind.TaskOfT;
                    resultType = ((INamedTypeSymbol)returnType).TypeArguments[0];
                }
                else if (fullName == WellKnownNames.ValueTaskOfT)
                {
                    returnKind = EntryReturnKind.ValueTaskOfT;
                    resultType = ((INamedTypeSymbol)returnType).TypeArguments[0];
                }
                else if (original.SpecialType == SpecialType.System_Nullable_T && returnType is INamedTypeSymbol nullable
                    && MetadataName(nullable.TypeArguments[0].OriginalDefinition) is var inner
                    && (inner == WellKnownNames.ValueTask || inner == WellKnownNames.ValueTaskOfT))
                {
                    // A Nullable<ValueTask> has no awaiter: the host would store the struct and never run the work.
                    return Fail("it returns " + returnType.ToDisplayString() + ", which cannot be awaited; return "
                        + nullable.TypeArguments[0].ToDisplayString() + " without '?'");
                }
                else if (fullName == WellKnownNames.AsyncEnumerableOfT || fullName == WellKnownNames.AsyncEnumeratorOfT)
                {
                    // The host does not enumerate a stream: the response would be the enumerable object itself.
                    return Fail("it returns " + returnType.ToDisplayString() + ", which is a stream the host does not enumerate; "
                        + "collect the items (await foreach into a List<T>) and return Task<List<T>>");
                }
                else
                {
                    returnKind = EntryReturnKind.Value;
                    resultType = returnType;
                }
                if (resultType != null && (resultType.IsRefLikeType || resultType.TypeKind == TypeKind.Pointer || resultType.TypeKind == TypeKind.FunctionPointer))
                    return Fail($"the result type {resultType.ToDisplayString()} cannot be stored (ref struct or pointer); return data such as a string, number, record or list");
            }
            return new EntrySignature(null, method.IsStatic, returnKind, resultType, parameters);
        }

        private static string MetadataName(ITypeSymbol type)
        {
            var ns = type.ContainingNamespace;
            var prefix = ns == null || ns.IsGlobalNamespace ? "" : ns.ToDisplayString() + ".";
            return prefix + type.MetadataName;
        }
    }
}
