using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
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
                start.RegisterOperationAction(c =>
                {
                    var assignment = (ISimpleAssignmentOperation)c.Operation;
                    if (assignment.Target is IPropertyReferenceOperation property && property.Property.Name == "Logger"
                        && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, symbols!.SerilogLog)
                        && !InHook(c, symbols))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LoggerConfiguration, assignment.Syntax.GetLocation(), "Assigning Log.Logger"));
                }, OperationKind.SimpleAssignment);
                start.RegisterOperationAction(c =>
                {
                    var creation = (IObjectCreationOperation)c.Operation;
                    if (SymbolEqualityComparer.Default.Equals(creation.Type, symbols!.LoggerConfiguration) && !InHook(c, symbols))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LoggerConfiguration, creation.Syntax.GetLocation(), "Building a new LoggerConfiguration"));
                }, OperationKind.ObjectCreation);
            });
        }

        private static bool InHook(OperationAnalysisContext context, AgentScriptSymbols symbols) =>
            symbols.IsLoggingHook(AgentScriptSymbols.EnclosingMember(context.ContainingSymbol));
    }
}
