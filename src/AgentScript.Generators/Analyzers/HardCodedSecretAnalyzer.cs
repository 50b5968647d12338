using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS009: a string literal given to something named like a secret (variable, field, property, parameter,
    /// argument), or a literal connection string with a password in it.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HardCodedSecretAnalyzer : DiagnosticAnalyzer
    {
        // Suffixes of the normalised name (lower case, no '_' or '-'): "arangoPassword", "API_KEY", "accessToken".
        private static readonly string[] SecretSuffixes =
        {
            "password", "passwd", "pwd", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey", "credential", "credentials",
        };

        // "Password=" or "Pwd=" followed by a value; "Password=;" and "Password={pw}" (a hole) are fine.
        private static readonly Regex ConnectionPassword = new Regex(@"(?:^|[;\s])(?:password|pwd)\s*=\s*[^;\s""'{]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // Names of environment variables ("ARANGO_PASSWORD") are references to a secret, not a secret.
        private static readonly Regex EnvironmentVariableName = new Regex("^[A-Z][A-Z0-9_]*$", RegexOptions.CultureInvariant);

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.HardCodedSecret);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                if (AgentScriptSymbols.TryCreate(start.Compilation) == null)
                    return;
                start.RegisterOperationAction(c =>
                {
                    var declarator = (IVariableDeclaratorOperation)c.Operation;
                    CheckNamed(c, declarator.Symbol.Name, declarator.GetVariableInitializer()?.Value);
                }, OperationKind.VariableDeclarator);
                start.RegisterOperationAction(c =>
                {
                    var initializer = (IFieldInitializerOperation)c.Operation;
                    foreach (var field in initializer.InitializedFields)
                        CheckNamed(c, field.Name, initializer.Value);
                }, OperationKind.FieldInitializer);
                start.RegisterOperationAction(c =>
                {
                    var initializer = (IPropertyInitializerOperation)c.Operation;
                    foreach (var property in initializer.InitializedProperties)
                        CheckNamed(c, property.Name, initializer.Value);
                }, OperationKind.PropertyInitializer);
                start.RegisterOperationAction(c =>
                {
                    var initializer = (IParameterInitializerOperation)c.Operation;
                    CheckNamed(c, initializer.Parameter.Name, initializer.Value);
                }, OperationKind.ParameterInitializer);
                start.RegisterOperationAction(c =>
                {
                    var assignment = (ISimpleAssignmentOperation)c.Operation;
                    string? name = assignment.Target switch
                    {
                        ILocalReferenceOperation l => l.Local.Name,
                        IFieldReferenceOperation f => f.Field.Name,
                        IPropertyReferenceOperation p => p.Property.Name,
                        IParameterReferenceOperation p => p.Parameter.Name,
                        _ => null,
                    };
                    if (name != null)
                        CheckNamed(c, name, assignment.Value);
                }, OperationKind.SimpleAssignment);
                start.RegisterOperationAction(c =>
                {
                    var argument = (IArgumentOperation)c.Operation;
                    // Default values fill in implicit arguments; the declaration was already checked as a parameter initializer.
                    if (argument.Parameter != null && !argument.IsImplicit && argument.ArgumentKind == ArgumentKind.Explicit)
                        CheckNamed(c, argument.Parameter.Name, argument.Value);
                }, OperationKind.Argument);
                start.RegisterOperationAction(c =>
                {
                    var literal = (ILiteralOperation)c.Operation;
                    if (literal.ConstantValue.HasValue && literal.ConstantValue.Value is string s && ConnectionPassword.IsMatch(s))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HardCodedSecret, literal.Syntax.GetLocation(),
                            "This connection string contains a password"));
                }, OperationKind.Literal);
            });
        }

        private static void CheckNamed(OperationAnalysisContext context, string name, IOperation? value)
        {
            while (value is IConversionOperation conversion && conversion.IsImplicit)
                value = conversion.Operand;
            if (!(value is ILiteralOperation literal) || !(literal.ConstantValue.HasValue && literal.ConstantValue.Value is string s))
                return;
            if (string.IsNullOrWhiteSpace(s) || EnvironmentVariableName.IsMatch(s) || ConnectionPassword.IsMatch(s))
                return; // The literal check reports connection strings, once.
            if (!IsSecretName(name))
                return;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HardCodedSecret, literal.Syntax.GetLocation(),
                "A string literal is used as '" + name + "'"));
        }

        internal static bool IsSecretName(string name)
        {
            var normalised = name.TrimStart('@').Replace("_", "").Replace("-", "").ToLowerInvariant();
            foreach (var suffix in SecretSuffixes)
            {
                if (normalised.EndsWith(suffix, System.StringComparison.Ordinal))
                    return true;
            }
            return false;
        }
    }
}
