using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// AGS012: query text built by interpolation or concatenation and passed to a query API: <c>AgentLog.Query*</c>,
    /// <c>IAgentLogStore.QueryAsync</c>, <c>DbCommand.CommandText</c> (Microsoft.Data.Sqlite and every ADO.NET provider),
    /// and any parameter named <c>commandText</c>, <c>sql</c> or <c>aql</c>.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class QueryTextAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Property set when the call has a bind-parameter dictionary the fix can fill.</summary>
        public const string FixableProperty = "BindParameters";

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.DynamicQueryText);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = AgentScriptSymbols.TryCreate(start.Compilation);
                if (symbols == null)
                    return;
                // Only calls and creations with an argument built from parts can be reported.
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    CheckArguments(c, symbols, invocation.TargetMethod, invocation.Arguments);
                }, node => SyntaxFirst.HasBuiltStringArgument(((InvocationExpressionSyntax)node).ArgumentList, allowLocal: MayTakeQueryText(SyntaxFirst.InvokedName(node))),
                    OperationKind.Invocation, SyntaxKind.InvocationExpression);
                SyntaxFirst.RegisterOperationAction(start, c =>
                {
                    var creation = (IObjectCreationOperation)c.Operation;
                    if (creation.Constructor != null)
                        CheckArguments(c, symbols, creation.Constructor, creation.Arguments);
                }, node => SyntaxFirst.HasBuiltStringArgument(((BaseObjectCreationExpressionSyntax)node).ArgumentList,
                    allowLocal: node is ObjectCreationExpressionSyntax creation && (creation.Type is SimpleNameSyntax || creation.Type is QualifiedNameSyntax)
                        && creation.Type.ToString().EndsWith("Command", System.StringComparison.Ordinal)), OperationKind.ObjectCreation,
                    SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression);
                if (symbols.DbCommand != null || symbols.IDbCommand != null)
                {
                    SyntaxFirst.RegisterOperationAction(start, c =>
                    {
                        var assignment = (ISimpleAssignmentOperation)c.Operation;
                        if (!(assignment.Target is IPropertyReferenceOperation property) || property.Property.Name != "CommandText")
                            return;
                        var type = property.Property.ContainingType;
                        if (!AgentScriptSymbols.IsOrInherits(type, symbols.DbCommand) && !AgentScriptSymbols.IsOrInherits(type, symbols.IDbCommand))
                            return;
                        var (kind, local) = StringBuilding.ClassifyThroughLocal(assignment.Value, c.CancellationToken);
                        if (kind != null)
                            Report(c, assignment.Value.Syntax, type.Name + ".CommandText", kind, fixable: false, local);
                    }, node => SyntaxFirst.AssignedName(node) == "CommandText" && SyntaxFirst.MayBeBuiltString(((AssignmentExpressionSyntax)node).Right, allowLocal: true),
                        OperationKind.SimpleAssignment, SyntaxKind.SimpleAssignmentExpression);
                }
            });
        }

        private static void CheckArguments(OperationContext context, AgentScriptSymbols symbols, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments)
        {
            var isAgentScriptQuery = IsAgentScriptQuery(method, symbols);
            foreach (var argument in arguments)
            {
                var parameter = argument.Parameter;
                if (parameter == null || parameter.Type.SpecialType != SpecialType.System_String)
                    continue;
                var name = parameter.Name;
                if (!(isAgentScriptQuery && name == "query") && name != "commandText" && name != "sql" && name != "aql")
                    continue;
                var (kind, local) = StringBuilding.ClassifyThroughLocal(argument.Value, context.CancellationToken);
                if (kind == null)
                    return;
                // The fix adds a `parameters:` dictionary; only possible when the API has one and the call does not pass it
                // yet, and only for text written at the call (not through a local variable).
                var fixable = local == null && isAgentScriptQuery && kind != StringBuilding.Format && HasUnsetParameters(method, arguments);
                var display = method.MethodKind == MethodKind.Constructor ? "new " + method.ContainingType.Name : method.ContainingType.Name + "." + method.Name;
                Report(context, argument.Value.Syntax, display, kind, fixable, local);
                return;
            }
        }

        private static bool IsAgentScriptQuery(IMethodSymbol method, AgentScriptSymbols symbols)
        {
            if (method.Name != "Query" && method.Name != "QueryAsync")
                return false;
            var type = method.ContainingType;
            return SymbolEqualityComparer.Default.Equals(type, symbols.AgentLog) || AgentScriptSymbols.IsOrInherits(type, symbols.AgentLogStore);
        }

        private static bool HasUnsetParameters(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments)
        {
            var hasParameter = false;
            foreach (var p in method.Parameters)
                hasParameter |= p.Name == "parameters";
            if (!hasParameter)
                return false;
            foreach (var a in arguments)
            {
                if (a.Parameter?.Name == "parameters" && a.ArgumentKind == ArgumentKind.Explicit)
                    return false;
            }
            return true;
        }

        /// <summary>
        /// Calls whose plain-variable argument is worth binding (a local may hold built text): the query APIs by name, and
        /// calls that name a sql/aql/commandText argument. Other calls with variables are never bound (build cost).
        /// </summary>
        private static bool MayTakeQueryText(string? invokedName) =>
            invokedName == "Query" || invokedName == "QueryAsync" || invokedName == "ExecuteQuery" || invokedName == "ExecuteQueryAsync";

        private static void Report(OperationContext context, SyntaxNode node, string api, string kind, bool fixable, string? local)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(StringBuilding.KindProperty, kind);
            if (fixable)
                properties = properties.Add(FixableProperty, "true");
            var what = StringBuilding.Describe(kind) + (local == null ? "" : " (in local variable '" + local + "')");
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DynamicQueryText, node.GetLocation(), properties, api, what));
        }
    }
}
