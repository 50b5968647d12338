using System;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AgentScript.Sanitizing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
        // "Password=" or "Pwd=" followed by a value; "Password=;" and "Password={pw}" (a hole) are fine.
        private static readonly Regex ConnectionPassword = new Regex(@"(?:^|[;\s])(?:password|pwd)\s*=\s*[^;\s""'{]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // Token formats (the runtime redacts the same ones by value): a literal holding one is a secret whatever its name.
        private static readonly Regex TokenFormat = new Regex(SecretTokenFormats.Pattern, RegexOptions.CultureInvariant);

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
                // Every report is about a string literal: the literal's place in the syntax (and the name it is given to,
                // when that is written) decides whether it is worth binding. Method bodies without a candidate literal
                // are never bound for this rule.
                start.RegisterSyntaxNodeAction(AnalyzeLiteral, SyntaxKind.StringLiteralExpression);
            });
        }

        private static void AnalyzeLiteral(SyntaxNodeAnalysisContext c)
        {
            var literal = (LiteralExpressionSyntax)c.Node;
            var text = literal.Token.ValueText;
            if (ConnectionPassword.IsMatch(text))
            {
                SyntaxFirst.Run(c, literal, OperationKind.Literal, ReportConnectionString);
                return; // CheckNamed skips connection strings: reported once, here.
            }
            if (HasTrigger(text) && TokenFormat.IsMatch(text))
            {
                SyntaxFirst.Run(c, literal, OperationKind.Literal, ReportToken);
                return; // Reported once, here, whatever name it is given to.
            }
            if (string.IsNullOrWhiteSpace(text) || EnvironmentVariableName.IsMatch(text))
                return;
            SyntaxNode value = literal;
            while (value.Parent is ParenthesizedExpressionSyntax parenthesized)
                value = parenthesized;
            switch (value.Parent)
            {
                case EqualsValueClauseSyntax equals when equals.Parent is VariableDeclaratorSyntax declarator:
                    if (!IsSecretName(declarator.Identifier.ValueText))
                        return;
                    // A local's declarator, or a field's initializer.
                    if (c.SemanticModel.GetOperation(declarator, c.CancellationToken) is IVariableDeclaratorOperation)
                        SyntaxFirst.Run(c, declarator, OperationKind.VariableDeclarator, CheckDeclarator);
                    else
                        SyntaxFirst.Run(c, equals, OperationKind.FieldInitializer, CheckFieldInitializer);
                    return;
                case EqualsValueClauseSyntax equals when equals.Parent is PropertyDeclarationSyntax property:
                    if (IsSecretName(property.Identifier.ValueText))
                        SyntaxFirst.Run(c, equals, OperationKind.PropertyInitializer, CheckPropertyInitializer);
                    return;
                case EqualsValueClauseSyntax equals when equals.Parent is ParameterSyntax parameter:
                    if (IsSecretName(parameter.Identifier.ValueText))
                        SyntaxFirst.Run(c, equals, OperationKind.ParameterInitializer, CheckParameterInitializer);
                    return;
                case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == value:
                    if (SyntaxFirst.AssignedName(assignment) is string assigned && IsSecretName(assigned))
                        SyntaxFirst.Run(c, assignment, OperationKind.SimpleAssignment, CheckAssignment);
                    return;
                case ArgumentSyntax argument:
                    if (argument.NameColon != null)
                    {
                        if (!IsSecretName(argument.NameColon.Name.Identifier.ValueText))
                            return;
                    }
                    else if (!LooksLikeCredential(text))
                    {
                        // A positional argument's parameter name is only known after binding. Text with spaces or braces
                        // (a message template, a sentence) is not taken for a credential, so log calls bind nothing.
                        return;
                    }
                    SyntaxFirst.Run(c, argument, OperationKind.Argument, CheckArgument);
                    return;
            }
        }

        /// <summary>A secret is one token: no white space, no template holes.</summary>
        internal static bool LooksLikeCredential(string text)
        {
            foreach (var ch in text)
            {
                if (char.IsWhiteSpace(ch) || ch == '{' || ch == '}')
                    return false;
            }
            return true;
        }

        private static bool HasTrigger(string text)
        {
            foreach (var trigger in SecretTokenFormats.Triggers)
            {
                if (text.IndexOf(trigger, StringComparison.Ordinal) >= 0)
                    return true;
            }
            return false;
        }

        private static void ReportToken(OperationContext c)
        {
            // The text was matched from syntax already; binding only confirms it is a string constant in code.
            var literal = (ILiteralOperation)c.Operation;
            if (literal.ConstantValue.HasValue && literal.ConstantValue.Value is string)
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HardCodedSecret, literal.Syntax.GetLocation(),
                    "This string literal has the format of an access token or private key"));
        }

        private static void ReportConnectionString(OperationContext c)
        {
            var literal = (ILiteralOperation)c.Operation;
            if (literal.ConstantValue.HasValue && literal.ConstantValue.Value is string s && ConnectionPassword.IsMatch(s))
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HardCodedSecret, literal.Syntax.GetLocation(),
                    "This connection string contains a password"));
        }

        private static void CheckDeclarator(OperationContext c)
        {
            var declarator = (IVariableDeclaratorOperation)c.Operation;
            CheckNamed(c, declarator.Symbol.Name, declarator.GetVariableInitializer()?.Value);
        }

        private static void CheckFieldInitializer(OperationContext c)
        {
            var initializer = (IFieldInitializerOperation)c.Operation;
            foreach (var field in initializer.InitializedFields)
                CheckNamed(c, field.Name, initializer.Value);
        }

        private static void CheckPropertyInitializer(OperationContext c)
        {
            var initializer = (IPropertyInitializerOperation)c.Operation;
            foreach (var property in initializer.InitializedProperties)
                CheckNamed(c, property.Name, initializer.Value);
        }

        private static void CheckParameterInitializer(OperationContext c)
        {
            var initializer = (IParameterInitializerOperation)c.Operation;
            CheckNamed(c, initializer.Parameter.Name, initializer.Value);
        }

        private static void CheckAssignment(OperationContext c)
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
        }

        private static void CheckArgument(OperationContext c)
        {
            var argument = (IArgumentOperation)c.Operation;
            // Default values fill in implicit arguments; the declaration was already checked as a parameter initializer.
            if (argument.Parameter != null && !argument.IsImplicit && argument.ArgumentKind == ArgumentKind.Explicit)
                CheckNamed(c, argument.Parameter.Name, argument.Value);
        }

        private static void CheckNamed(OperationContext context, string name, IOperation? value)
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

        /// <summary>
        /// The runtime's list of secret names (<see cref="SecretNames"/>, one file compiled into both); names of
        /// containers such as connection strings are judged by their text instead (a password in it).
        /// </summary>
        internal static bool IsSecretName(string name)
        {
            var suffix = SecretNames.Match(name);
            return suffix != null && !SecretNames.IsContainer(suffix);
        }
    }
}
