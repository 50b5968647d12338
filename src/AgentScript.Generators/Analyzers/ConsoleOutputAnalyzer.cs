using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>AGS005: <c>Console.Write*</c>, <c>Console.Out/Error.Write*</c> and <c>Console.OpenStandardOutput/Error</c> in script code.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ConsoleOutputAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ConsoleOutput);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols?.Console == null)
                    return;
                // Only calls named Write… or OpenStandardOutput/Error can be console output.
                SyntaxFirst.RegisterOperationAction(start, c => Analyze(c, symbols),
                    node => SyntaxFirst.InvokedName(node) is { } name && (name.StartsWith("Write", System.StringComparison.Ordinal) || IsRawStream(name)),
                    OperationKind.Invocation, SyntaxKind.InvocationExpression);
            });
        }

        private static void Analyze(OperationContext context, AgentScriptSymbols symbols)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            string display;
            if (IsRawStream(method.Name))
            {
                // The raw stdout/stderr stream: bytes written there bypass the logger just the same.
                if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Console))
                    return;
                display = "Console." + method.Name;
            }
            else if (!method.Name.StartsWith("Write", System.StringComparison.Ordinal))
            {
                return;
            }
            else if (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Console))
            {
                if (method.Name != "Write" && method.Name != "WriteLine")
                    return;
                display = "Console." + method.Name;
            }
            else if (invocation.Instance is IPropertyReferenceOperation property
                && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, symbols.Console)
                && (property.Property.Name == "Out" || property.Property.Name == "Error")
                && AgentScriptSymbols.IsOrInherits(method.ContainingType, symbols.TextWriter))
            {
                display = "Console." + property.Property.Name + "." + method.Name;
            }
            else
            {
                return;
            }
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConsoleOutput, invocation.Syntax.GetLocation(), display));
        }

        private static bool IsRawStream(string name) => name == "OpenStandardOutput" || name == "OpenStandardError";
    }
}
