using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS018: an <c>[AgentScriptLogging]</c> hook the generated entry point does not call — a shape it cannot call, or a
    /// second hook (one is called). The build would otherwise succeed with the script's logging set-up silently unused.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LoggingHookAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UncalledLoggingHook);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols?.LoggingAttribute == null)
                    return;
                var callable = new ConcurrentBag<IMethodSymbol>();
                start.RegisterSymbolAction(c =>
                {
                    var method = (IMethodSymbol)c.Symbol;
                    if (method.Locations.Length == 0 || !method.Locations[0].IsInSource || !symbols.IsLoggingHook(method))
                        return;
                    var problem = LoggingHookShape.Problem(method);
                    if (problem == null)
                        callable.Add(method);
                    else
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UncalledLoggingHook, method.Locations[0], Display(method), problem));
                }, SymbolKind.Method);
                start.RegisterCompilationEndAction(c =>
                {
                    // The generator calls the first in this order; the others are reported.
                    var hooks = callable.OrderBy(LoggingHookShape.SortKey, StringComparer.Ordinal).ToList();
                    foreach (var other in hooks.Skip(1))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UncalledLoggingHook, other.Locations[0], Display(other),
                            "the script's hook is '" + Display(hooks[0]) + "' (one hook is called)"));
                });
            });
        }

        private static string Display(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;
    }
}
