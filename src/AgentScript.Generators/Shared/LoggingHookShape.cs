using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Shared
{
    /// <summary>
    /// The rule for an <c>[AgentScriptLogging]</c> hook, shared by the generator (which calls the hook) and AGS018 (which
    /// reports a hook it does not call): its shape, and which one is called when a script has several.
    /// </summary>
    internal static class LoggingHookShape
    {
        /// <summary>Why the generated entry point cannot call <paramref name="method"/>, or null when it can.</summary>
        public static string? Problem(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary)
                return "it is not an ordinary method";
            if (!method.IsStatic)
                return "it is an instance method";
            if (method.IsGenericMethod)
                return "it is generic";
            if (!method.ReturnsVoid)
                return "it returns " + method.ReturnType.ToDisplayString() + " (the hook runs before the logger exists, synchronously)";
            if (method.Parameters.Length != 1 || method.Parameters[0].RefKind != RefKind.None
                || method.Parameters[0].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) != "global::" + WellKnownNames.LoggerConfiguration)
                return "it does not take exactly one Serilog.LoggerConfiguration";
            if (!Generator.EntryReader.IsReachable(method))
                return "it or its type is private, protected, file-local or generic, so the generated entry point cannot call it";
            return null;
        }

        /// <summary>
        /// The order in which hooks are considered: the first one is called. The generator orders its models by the same
        /// text (<see cref="Generator.LoggingHookModel"/>: type name and method name).
        /// </summary>
        public static string SortKey(IMethodSymbol method) => SortKey(method.ContainingType.ToDisplayString(Generator.EntryReader.TypeFormat), method.Name);

        public static string SortKey(string typeName, string methodName) => typeName + "." + methodName;
    }
}
