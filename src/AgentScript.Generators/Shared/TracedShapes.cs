// Shapes of [Traced] methods that the generator leaves alone and AGS013 explains: one definition for both.
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Shared
{
    /// <summary>Questions about a <c>[Traced]</c> method that the generator and analyzer AGS013 must answer alike.</summary>
    internal static class TracedShapes
    {
        /// <summary>
        /// True for a member of a C# 14 <c>extension(…) { }</c> block: its containing type has no name generated code
        /// can write. Asked by kind (not by the Extension type kind, which this Roslyn API version does not know).
        /// </summary>
        public static bool IsInExtensionBlock(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type == null)
                return false;
            return type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct && type.TypeKind != TypeKind.Interface
                || !type.CanBeReferencedByName;
        }

        /// <summary>True when the method returns <c>IAsyncEnumerable&lt;T&gt;</c> or <c>IAsyncEnumerator&lt;T&gt;</c>.</summary>
        public static bool ReturnsAsyncStream(IMethodSymbol method)
        {
            if (method.ReturnsVoid)
                return false;
            var original = method.ReturnType.OriginalDefinition;
            if (original.ContainingNamespace?.ToDisplayString() != "System.Collections.Generic")
                return false;
            return original.MetadataName == "IAsyncEnumerable`1" || original.MetadataName == "IAsyncEnumerator`1";
        }

        /// <summary>
        /// True when generated code in another class can spell the type: not a type parameter, anonymous, private,
        /// protected or file-local type, pointer, ref struct or <c>dynamic</c>, nor anything built from one.
        /// </summary>
        public static bool IsNameable(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return IsNameable(array.ElementType);
                case ITypeParameterSymbol _:
                case IPointerTypeSymbol _:
                case IFunctionPointerTypeSymbol _:
                case IErrorTypeSymbol _:
                case IDynamicTypeSymbol _:
                    return false;
                case INamedTypeSymbol named:
                    if (named.IsAnonymousType || named.IsRefLikeType)
                        return false;
                    for (var t = named; t != null; t = t.ContainingType)
                    {
                        var a = t.DeclaredAccessibility;
                        if (a == Accessibility.Private || a == Accessibility.Protected || a == Accessibility.ProtectedAndInternal)
                            return false;
                        if (t.IsFileLocal)
                            return false;
                        foreach (var arg in t.TypeArguments)
                        {
                            if (!IsNameable(arg))
                                return false;
                        }
                    }
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The C# version the generated interceptors need (file-local types).</summary>
        public const int MinimumLanguageVersion = 11;
    }
}
