using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Benchmarks.Generator;

/// <summary>
/// An analyzer that reports nothing, for <see cref="InProcessProbe"/>: <c>empty</c> registers nothing (what running any
/// analyzer costs); <c>syntax</c> a do-nothing action on every call; <c>bind</c> / <c>symbol</c> also bind each
/// <c>Log.Debug</c> call (<c>GetOperation</c> / <c>GetSymbolInfo</c>) on the driver's semantic model, the <c>-bare</c>
/// forms on a model without nullable analysis.
/// </summary>
// Never loaded by a compiler, only handed to CompilationWithAnalyzers in this process: the rules for shipped analyzers
// (target framework, release tracking) do not apply, and a model of its own is what the bare forms measure.
#pragma warning disable RS1036, RS1041, RS2008, RS1030, RSEXPERIMENTAL001
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ProbeAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("PROBE001", "probe", "probe", "Bench", DiagnosticSeverity.Hidden, true);
    private readonly ConditionalWeakTable<SemanticModel, SemanticModel> _bare = new();
    private readonly string _mode;

    private ProbeAnalyzer(string mode) => _mode = mode;

    public static ProbeAnalyzer For(string mode) => mode is "empty" or "syntax" or "bind" or "bind-bare" or "symbol" or "symbol-bare"
        ? new ProbeAnalyzer(mode)
        : throw new ArgumentException($"unknown probe '{mode}': empty, syntax, bind, bind-bare, symbol or symbol-bare");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        if (_mode == "empty")
            return;
        context.RegisterSyntaxNodeAction(c =>
        {
            if (_mode == "syntax" || !c.Node.ToString().StartsWith("Log.Debug", StringComparison.Ordinal))
                return;
            var model = _mode.EndsWith("-bare", StringComparison.Ordinal)
                ? _bare.GetValue(c.SemanticModel, m => m.Compilation.GetSemanticModel(m.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis))
                : c.SemanticModel;
            if (_mode.StartsWith("symbol", StringComparison.Ordinal))
                _ = model.GetSymbolInfo(c.Node, c.CancellationToken);
            else
                _ = model.GetOperation(c.Node, c.CancellationToken);
        }, SyntaxKind.InvocationExpression);
    }
}
#pragma warning restore RS1036, RS1041, RS2008, RS1030, RSEXPERIMENTAL001
