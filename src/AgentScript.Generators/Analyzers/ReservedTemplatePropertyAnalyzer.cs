using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS016: a message-template property named like a field of the log record (<c>{ExecutionId}</c>,
    /// <c>{ScriptName}</c>, <c>{SpanId}</c>…). The runtime keeps such a value in <c>extra</c> and never lets it change the
    /// record, so the name only misleads a reader (and older guides taught it).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ReservedTemplatePropertyAnalyzer : DiagnosticAnalyzer
    {
        // Names of the record's identity fields, as a template property would spell them (compared ignoring case).
        // Everyday domain words that are also field names (Category, Source, Level, Host…) are left alone: they are
        // far more often the script's own data than a reference to the record.
        private static readonly HashSet<string> ReservedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "ExecutionId", "ScriptName", "EventId", "SpanId", "ParentSpanId", "LogCategory", "SourceContext",
            "FunctionName", "FilePath", "LineNumber", "CorrelationId", "PayloadJson",
        };

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ReservedTemplateProperty);

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
                // Only a call with a literal that holds a reserved name in braces can be reported: nothing else is bound.
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    var method = invocation.TargetMethod;
                    var type = method.ContainingType;
                    if (!symbols.IsSerilogLogger(type))
                        return;
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter?.Name != "messageTemplate" || !(argument.Value.ConstantValue.HasValue && argument.Value.ConstantValue.Value is string template))
                            continue;
                        foreach (var name in PropertyNames(template))
                        {
                            if (ReservedNames.Contains(name))
                                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ReservedTemplateProperty, argument.Value.Syntax.GetLocation(), name));
                        }
                        return;
                    }
                }, node => HasCandidateLiteral(((InvocationExpressionSyntax)node).ArgumentList), OperationKind.Invocation, SyntaxKind.InvocationExpression);
            });
        }

        private static bool HasCandidateLiteral(ArgumentListSyntax? arguments)
        {
            if (arguments == null)
                return false;
            foreach (var argument in arguments.Arguments)
            {
                if (argument.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
                {
                    foreach (var name in PropertyNames(literal.Token.ValueText))
                    {
                        if (ReservedNames.Contains(name))
                            return true;
                    }
                }
            }
            return false;
        }

        /// <summary>The property names of a Serilog message template: <c>{Name}</c>, <c>{@Name}</c>, <c>{$Name,5:F2}</c>; <c>{{</c> is a literal brace.</summary>
        internal static IEnumerable<string> PropertyNames(string template)
        {
            for (var i = 0; i < template.Length; i++)
            {
                if (template[i] != '{')
                    continue;
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    i++;
                    continue;
                }
                var start = i + 1;
                if (start < template.Length && (template[start] == '@' || template[start] == '$'))
                    start++;
                var end = start;
                while (end < template.Length && (char.IsLetterOrDigit(template[end]) || template[end] == '_'))
                    end++;
                if (end > start && end < template.Length && (template[end] == '}' || template[end] == ',' || template[end] == ':'))
                    yield return template.Substring(start, end - start);
                i = end - 1;
            }
        }
    }
}
