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

        /// <summary>The C# version the generated interceptors need (file-local types).</summary>
        public const int MinimumLanguageVersion = 11;
    }
}
