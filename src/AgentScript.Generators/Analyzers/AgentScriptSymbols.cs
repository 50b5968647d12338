using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// The types the analyzers look for, resolved once per compilation (in a compilation-start action) so that
    /// per-node callbacks only compare symbols. Null members mean the compilation does not reference that library.
    /// </summary>
    internal sealed class AgentScriptSymbols
    {
        private AgentScriptSymbols(Compilation compilation, INamedTypeSymbol agentScriptAttribute)
        {
            AgentScriptAttribute = agentScriptAttribute;
            TracedAttribute = compilation.GetTypeByMetadataName(WellKnownNames.TracedAttribute);
            LoggingAttribute = compilation.GetTypeByMetadataName(AnalyzerNames.LoggingAttribute);
            AgentLog = compilation.GetTypeByMetadataName(AnalyzerNames.AgentLog);
            AgentLogStore = compilation.GetTypeByMetadataName(AnalyzerNames.AgentLogStore);
            SerilogLog = compilation.GetTypeByMetadataName("Serilog.Log");
            SerilogLogger = compilation.GetTypeByMetadataName("Serilog.ILogger");
            LoggerConfiguration = compilation.GetTypeByMetadataName(AnalyzerNames.LoggerConfiguration);
            Console = compilation.GetTypeByMetadataName("System.Console");
            TextWriter = compilation.GetTypeByMetadataName("System.IO.TextWriter");
            DbCommand = compilation.GetTypeByMetadataName("System.Data.Common.DbCommand");
            IDbCommand = compilation.GetTypeByMetadataName("System.Data.IDbCommand");
            EventArgs = compilation.GetTypeByMetadataName("System.EventArgs");
            Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
            Type = compilation.GetTypeByMetadataName("System.Type");
            MemberInfo = compilation.GetTypeByMetadataName("System.Reflection.MemberInfo");
            Task = compilation.GetTypeByMetadataName(WellKnownNames.Task);
            ValueTask = compilation.GetTypeByMetadataName(WellKnownNames.ValueTask);
            ValueTaskOfT = compilation.GetTypeByMetadataName(WellKnownNames.ValueTaskOfT);
            CancellationToken = compilation.GetTypeByMetadataName(WellKnownNames.CancellationToken);
            Memory = compilation.GetTypeByMetadataName("System.Memory`1");
            ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
            AsyncEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
            Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
            WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
        }

        public INamedTypeSymbol AgentScriptAttribute { get; }
        public INamedTypeSymbol? TracedAttribute { get; }
        public INamedTypeSymbol? LoggingAttribute { get; }
        public INamedTypeSymbol? AgentLog { get; }
        public INamedTypeSymbol? AgentLogStore { get; }
        public INamedTypeSymbol? SerilogLog { get; }
        public INamedTypeSymbol? SerilogLogger { get; }
        public INamedTypeSymbol? LoggerConfiguration { get; }
        public INamedTypeSymbol? Console { get; }
        public INamedTypeSymbol? TextWriter { get; }
        public INamedTypeSymbol? DbCommand { get; }
        public INamedTypeSymbol? IDbCommand { get; }
        public INamedTypeSymbol? EventArgs { get; }
        public INamedTypeSymbol? Stream { get; }
        public INamedTypeSymbol? Type { get; }
        public INamedTypeSymbol? MemberInfo { get; }
        public INamedTypeSymbol? Task { get; }
        public INamedTypeSymbol? ValueTask { get; }
        public INamedTypeSymbol? ValueTaskOfT { get; }
        public INamedTypeSymbol? CancellationToken { get; }
        public INamedTypeSymbol? Memory { get; }
        public INamedTypeSymbol? ReadOnlyMemory { get; }
        public INamedTypeSymbol? AsyncEnumerable { get; }
        public INamedTypeSymbol? Thread { get; }
        public INamedTypeSymbol? WaitHandle { get; }

        /// <summary>
        /// The symbols of <paramref name="compilation"/>, or null when it does not reference AgentScript: every rule is
        /// about script code, and a project without the attribute type is not a script.
        /// </summary>
        public static AgentScriptSymbols? TryCreate(Compilation compilation)
        {
            var attribute = compilation.GetTypeByMetadataName(WellKnownNames.AgentScriptAttribute);
            return attribute == null ? null : new AgentScriptSymbols(compilation, attribute);
        }

        public bool IsEntry(ISymbol? method) => method is IMethodSymbol m && HasAttribute(m, AgentScriptAttribute);

        public bool IsLoggingHook(ISymbol? method) => LoggingAttribute != null && method is IMethodSymbol m && HasAttribute(m, LoggingAttribute);

        public bool IsTraced(ISymbol? method) => TracedAttribute != null && method is IMethodSymbol m && HasAttribute(m, TracedAttribute);

        public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
        {
            foreach (var a in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))
                    return true;
            }
            return false;
        }

        public static AttributeData? GetAttribute(ISymbol symbol, INamedTypeSymbol attribute)
        {
            foreach (var a in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))
                    return a;
            }
            return null;
        }

        /// <summary>True when <paramref name="type"/> is Serilog's static <c>Log</c> or an <c>ILogger</c>: a call on it takes a message template.</summary>
        public bool IsSerilogLogger(ITypeSymbol? type) =>
            SymbolEqualityComparer.Default.Equals(type, SerilogLog) || IsOrInherits(type, SerilogLogger);

        /// <summary>True when <paramref name="type"/> is <paramref name="baseType"/> or derives from it (or implements it).</summary>
        public static bool IsOrInherits(ITypeSymbol? type, INamedTypeSymbol? baseType)
        {
            if (type == null || baseType == null)
                return false;
            for (var t = type; t != null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType))
                    return true;
            }
            if (baseType.TypeKind == TypeKind.Interface)
            {
                foreach (var i in type.AllInterfaces)
                {
                    if (SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, baseType))
                        return true;
                }
            }
            return false;
        }

        /// <summary>The method (not lambda or local function) whose body contains the operation.</summary>
        public static IMethodSymbol? EnclosingMember(ISymbol? symbol)
        {
            while (symbol is IMethodSymbol m && (m.MethodKind == MethodKind.LambdaMethod || m.MethodKind == MethodKind.LocalFunction))
                symbol = m.ContainingSymbol;
            return symbol as IMethodSymbol;
        }
    }
}
