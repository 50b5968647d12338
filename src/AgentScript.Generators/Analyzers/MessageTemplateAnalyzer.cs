using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>AGS011: an interpolated or concatenated string passed as a Serilog <c>messageTemplate</c>.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MessageTemplateAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.DynamicMessageTemplate);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols?.SerilogLogger == null)
                    return;
                // Only a call with an argument built from parts (interpolation, +, Format/Concat) can be reported.
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    var method = invocation.TargetMethod;
                    var type = method.ContainingType;
                    if (!symbols.IsSerilogLogger(type))
                        return;
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter?.Name != "messageTemplate" || argument.Parameter.Type.SpecialType != SpecialType.System_String)
                            continue;
                        // Also through a local variable (`var text = $"…"; Log.Information(text)`); the code fix then has
                        // nothing to rewrite at the call and is not offered.
                        var (kind, local) = StringBuilding.ClassifyThroughLocal(argument.Value, c.CancellationToken);
                        if (kind == null)
                            return;
                        var properties = ImmutableDictionary<string, string?>.Empty.Add(StringBuilding.KindProperty, kind);
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DynamicMessageTemplate, argument.Syntax.GetLocation(), properties,
                            type.Name + "." + method.Name, StringBuilding.Describe(kind) + (local == null ? "" : " (in local variable '" + local + "')")));
                        return;
                    }
                }, node => SyntaxFirst.HasBuiltStringArgument(((InvocationExpressionSyntax)node).ArgumentList) || TemplateMayBeLocal((InvocationExpressionSyntax)node),
                    OperationKind.Invocation, SyntaxKind.InvocationExpression);
            });
        }

        /// <summary>
        /// True when a logging call's template may be a local variable: the template is the first argument, or the second
        /// after an exception or level (<c>Log.Error(ex, text)</c>), or named. A name in a property value's place
        /// (<c>Log.Debug("… {Total}", total)</c>, nearly every logging call) is never bound for this rule.
        /// </summary>
        private static bool TemplateMayBeLocal(InvocationExpressionSyntax invocation)
        {
            var name = SyntaxFirst.InvokedName(invocation);
            if (!(name == "Verbose" || name == "Debug" || name == "Information" || name == "Warning" || name == "Error" || name == "Fatal" || name == "Write"))
                return false;
            var arguments = invocation.ArgumentList.Arguments;
            foreach (var argument in arguments)
            {
                if (argument.NameColon?.Name.Identifier.ValueText == "messageTemplate")
                    return argument.Expression.IsKind(SyntaxKind.IdentifierName);
            }
            if (arguments.Count == 0)
                return false;
            var first = arguments[0].Expression;
            var second = arguments.Count > 1 ? arguments[1].Expression : null;
            // Information(text, …), unless it is Error(ex, "literal", …); or Error(ex, text) / Write(level, text).
            return first.IsKind(SyntaxKind.IdentifierName) && (second == null || !second.IsKind(SyntaxKind.StringLiteralExpression))
                || second != null && !first.IsKind(SyntaxKind.StringLiteralExpression) && second.IsKind(SyntaxKind.IdentifierName);
        }
    }
}
