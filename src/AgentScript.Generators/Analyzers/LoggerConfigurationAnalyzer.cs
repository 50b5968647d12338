using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS006: <c>Log.Logger = …</c> or <c>new LoggerConfiguration()</c> in script code. The body of an
    /// <c>[AgentScriptLogging]</c> hook is exempt: sub-loggers built there are part of the documented way.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LoggerConfigurationAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.LoggerConfiguration);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols?.SerilogLog == null && symbols?.LoggerConfiguration == null)
                    return;
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var assignment = (ISimpleAssignmentOperation)c.Operation;
                    if (assignment.Target is IPropertyReferenceOperation property && property.Property.Name == "Logger"
                        && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, symbols!.SerilogLog)
                        && !InHook(c, symbols))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LoggerConfiguration, assignment.Syntax.GetLocation(), "Assigning Log.Logger"));
                }, node => SyntaxFirst.AssignedName(node) == "Logger", OperationKind.SimpleAssignment, SyntaxKind.SimpleAssignmentExpression);
                // `new()` names no type, and a using alias may rename it: those are bound.
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var creation = (IObjectCreationOperation)c.Operation;
                    if (SymbolEqualityComparer.Default.Equals(creation.Type, symbols!.LoggerConfiguration) && !InHook(c, symbols))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LoggerConfiguration, creation.Syntax.GetLocation(), "Building a new LoggerConfiguration"));
                }, node => MayCreateLoggerConfiguration(node),
                    OperationKind.ObjectCreation, SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression);
            });
        }

        private static bool MayCreateLoggerConfiguration(SyntaxNode node)
        {
            if (SyntaxFirst.HasUsingAlias(node))
                return true;
            if (node is ObjectCreationExpressionSyntax creation)
                return RightmostName(creation.Type) == "LoggerConfiguration";
            // `new()` takes its type from a declaration when it initialises one (`Dictionary<string, int> _counts = new();`).
            if (node.Parent is EqualsValueClauseSyntax equals && equals.Parent is VariableDeclaratorSyntax
                && equals.Parent.Parent is VariableDeclarationSyntax declaration && !declaration.Type.IsVar)
            {
                var type = declaration.Type is NullableTypeSyntax nullable ? nullable.ElementType : declaration.Type;
                return RightmostName(type) == "LoggerConfiguration";
            }
            return true;
        }

        private static string? RightmostName(TypeSyntax type) => type switch
        {
            QualifiedNameSyntax q => q.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
            SimpleNameSyntax n => n.Identifier.ValueText,
            _ => null,
        };

        private static bool InHook(OperationContext context, AgentScriptSymbols symbols) =>
            symbols.IsLoggingHook(AgentScriptSymbols.EnclosingMember(context.ContainingSymbol));
    }
}
