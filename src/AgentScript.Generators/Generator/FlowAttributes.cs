using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Generator
{
    /// <summary>
    /// The nullable flow attributes of a traced method's parameters and return (<c>[NotNullWhen(true)]</c>,
    /// <c>[return: NotNullIfNotNull("x")]</c>…), written onto its interceptor. The compiler checks an interceptor's
    /// signature like an override's, attributes included: without them it warns CS9159, an error under
    /// TreatWarningsAsErrors. A parameter name an attribute refers to becomes the interceptor's own name for it.
    /// </summary>
    internal static class FlowAttributes
    {
        private static readonly HashSet<string> Names = new HashSet<string>
        {
            "AllowNullAttribute", "DisallowNullAttribute", "MaybeNullAttribute", "NotNullAttribute", "MaybeNullWhenAttribute",
            "NotNullWhenAttribute", "NotNullIfNotNullAttribute", "DoesNotReturnIfAttribute",
        };

        /// <summary>The attributes of one parameter, each followed by a space; empty when it has none.</summary>
        public static string ForParameter(IParameterSymbol parameter, IMethodSymbol method) => Write(parameter.GetAttributes(), method, "");

        /// <summary>The return attributes of <paramref name="method"/>, each on its own <c>[return: …]</c>; empty when it has none.</summary>
        public static string ForReturn(IMethodSymbol method) => Write(method.GetReturnTypeAttributes(), method, "return: ");

        private static string Write(ImmutableArray<AttributeData> attributes, IMethodSymbol method, string target)
        {
            var sb = new StringBuilder();
            foreach (var attribute in attributes)
            {
                var type = attribute.AttributeClass;
                if (type == null || !Names.Contains(type.Name) || type.ContainingNamespace?.ToDisplayString() != "System.Diagnostics.CodeAnalysis"
                    || attribute.NamedArguments.Length > 0)
                    continue;
                var arguments = attribute.ConstructorArguments.Select(a => Argument(a, method)).ToList();
                if (arguments.Any(a => a == null))
                    continue;
                sb.Append('[').Append(target).Append("global::System.Diagnostics.CodeAnalysis.").Append(type.Name)
                  .Append('(').Append(string.Join(", ", arguments)).Append(")] ");
            }
            return sb.ToString();
        }

        private static string? Argument(TypedConstant argument, IMethodSymbol method)
        {
            switch (argument.Value)
            {
                case bool b:
                    return b ? "true" : "false";
                case string name:
                    // NotNullIfNotNull names a parameter: the interceptor calls it __argN.
                    for (var i = 0; i < method.Parameters.Length; i++)
                    {
                        if (method.Parameters[i].Name == name)
                            return GeneratorInfo.Literal(InterceptorEmitter.Argument + i);
                    }
                    return GeneratorInfo.Literal(name);
                default:
                    return null;
            }
        }
    }
}
