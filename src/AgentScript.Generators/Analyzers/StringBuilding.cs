using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>Recognises text built at run time from values (shared by AGS011 and AGS012).</summary>
    internal static class StringBuilding
    {
        /// <summary>Property set on diagnostics: which form the text has, so the code fix knows what to rewrite.</summary>
        public const string KindProperty = "Kind";
        public const string Interpolation = "interpolation";
        public const string Concatenation = "concatenation";
        public const string Format = "format";

        /// <summary>The form of a non-constant string value built from parts, or null when it is not one.</summary>
        public static string? Classify(IOperation? value)
        {
            while (value is IConversionOperation conversion && conversion.IsImplicit)
                value = conversion.Operand;
            if (value == null || value.ConstantValue.HasValue)
                return null; // "a" + "b" and $"a{Const}" are constants: fine.
            switch (value)
            {
                case IInterpolatedStringOperation _:
                    return Interpolation;
                case IBinaryOperation binary when binary.OperatorKind == BinaryOperatorKind.Add && binary.Type?.SpecialType == SpecialType.System_String:
                    return Concatenation;
                case IInvocationOperation invocation when invocation.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String
                    && (invocation.TargetMethod.Name == "Format" || invocation.TargetMethod.Name == "Concat"):
                    return Format;
                default:
                    return null;
            }
        }

        public static string Describe(string kind) => kind switch
        {
            Interpolation => "an interpolated string",
            Concatenation => "a concatenation",
            _ => "built with string.Format/Concat",
        };
    }
}
