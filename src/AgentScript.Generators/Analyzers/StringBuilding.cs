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

        /// <summary>
        /// Like <see cref="Classify"/>, and also through a local variable whose initializer is built text
        /// (<c>var sql = "…" + id; Query(sql)</c>). Returns the kind and the local's name (null when direct).
        /// </summary>
        public static (string? Kind, string? Local) ClassifyThroughLocal(IOperation? value, System.Threading.CancellationToken cancellationToken)
        {
            var kind = Classify(value);
            if (kind != null)
                return (kind, null);
            while (value is IConversionOperation conversion && conversion.IsImplicit)
                value = conversion.Operand;
            if (!(value is ILocalReferenceOperation reference) || value.ConstantValue.HasValue || reference.Local.DeclaringSyntaxReferences.Length != 1)
                return (null, null);
            if (!(reference.Local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax declarator)
                || declarator.Initializer == null || value.SemanticModel == null || declarator.SyntaxTree != value.Syntax.SyntaxTree)
                return (null, null);
            kind = Classify(value.SemanticModel.GetOperation(declarator.Initializer.Value, cancellationToken));
            return kind == null ? (null, null) : (kind, reference.Local.Name);
        }

        public static string Describe(string kind) => kind switch
        {
            Interpolation => "an interpolated string",
            Concatenation => "a concatenation",
            _ => "built with string.Format/Concat",
        };
    }
}
