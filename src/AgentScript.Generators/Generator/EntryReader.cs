using System.Threading;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Generator
{
    /// <summary>Turns attributed methods into equatable models at once, so no symbol outlives this step.</summary>
    internal static class EntryReader
    {
        internal static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static EntryModel? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!(context.TargetSymbol is IMethodSymbol method) || context.Attributes.Length == 0)
                return null;

            var signature = EntrySignature.Classify(method);
            if (!signature.IsSupported)
                return null;

            var attribute = context.Attributes[0];
            var mode = ModeNames.Of(attribute);
            // An invalid name is analyzer error AGS017; no entry is generated for it.
            if (ModeNames.Problem(mode) != null)
                return null;

            string? scriptName = null;
            string? description = null;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "ScriptName")
                    scriptName = named.Value.Value as string;
                else if (named.Key == "Description")
                    description = named.Value.Value as string;
            }

            return new EntryModel(
                mode,
                description,
                string.IsNullOrWhiteSpace(scriptName) ? null : scriptName!.Trim(),
                method.ContainingType.ToDisplayString(TypeFormat),
                method.Name,
                signature.IsStatic,
                signature.ReturnKind,
                signature.Parameters.ToEquatableArray(),
                ModeNames.SortKey(method));
        }

        public static LoggingHookModel? ReadLoggingHook(GeneratorAttributeSyntaxContext context)
        {
            if (!(context.TargetSymbol is IMethodSymbol method))
                return null;
            if (LoggingHookShape.Problem(method) != null)
                return null; // AGS018 says why.
            return new LoggingHookModel(method.ContainingType.ToDisplayString(TypeFormat), method.Name);
        }

        /// <summary>True when code elsewhere in the assembly can call <paramref name="method"/>.</summary>
        internal static bool IsReachable(IMethodSymbol method, bool allowGenericTypes = false)
        {
            if (!IsAccessible(method.DeclaredAccessibility))
                return false;
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
            {
                // A file-local type has no name outside its file (its declared accessibility still says internal).
                if (!IsAccessible(t.DeclaredAccessibility) || t.IsFileLocal || !allowGenericTypes && t.IsGenericType)
                    return false;
            }
            return true;
        }

        private static bool IsAccessible(Accessibility accessibility) =>
            accessibility == Accessibility.Public || accessibility == Accessibility.Internal
            || accessibility == Accessibility.ProtectedOrInternal || accessibility == Accessibility.NotApplicable;
    }
}
