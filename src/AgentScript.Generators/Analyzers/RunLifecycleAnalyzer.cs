using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>AGS007: <c>AgentLog.StartRun</c>/<c>EndRun</c> (or their async forms) inside an <c>[AgentScript]</c> entry.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RunLifecycleAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.RunLifecycleCall);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols?.AgentLog == null)
                    return;
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    var method = invocation.TargetMethod;
                    if (!IsLifecycleName(method.Name) || !SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.AgentLog))
                        return;
                    var entry = AgentScriptSymbols.EnclosingMember(c.ContainingSymbol);
                    if (entry == null || !symbols.IsEntry(entry))
                        return;
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RunLifecycleCall, invocation.Syntax.GetLocation(),
                        "AgentLog." + method.Name, entry.ContainingType.Name + "." + entry.Name));
                }, node => SyntaxFirst.InvokedName(node) is string name && IsLifecycleName(name), OperationKind.Invocation, SyntaxKind.InvocationExpression);
            });
        }

        internal static bool IsLifecycleName(string name) =>
            name == "StartRun" || name == "EndRun" || name == "StartRunAsync" || name == "EndRunAsync";
    }
}
