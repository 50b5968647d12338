using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.Generators.Generator
{
    /// <summary>
    /// A cheap first check for call sites: could a method of this name be <c>[Traced]</c> at all? Answered from the
    /// compilation's declaration table (no method bodies are bound), once per name and compilation, so the costly
    /// <c>GetSymbolInfo</c> runs only for calls whose name matches a traced method. When a referenced library itself
    /// references AgentScript, its methods may carry <c>[Traced]</c> too, and every call is checked.
    /// </summary>
    internal sealed class TracedNameFilter
    {
        private static readonly ConditionalWeakTable<Compilation, TracedNameFilter> Filters = new ConditionalWeakTable<Compilation, TracedNameFilter>();

        private readonly Compilation _compilation;
        private readonly bool _librariesMayBeTraced;
        private readonly HashSet<string> _attributedMethodNames;
        private readonly ConcurrentDictionary<string, bool> _names = new ConcurrentDictionary<string, bool>();

        private TracedNameFilter(Compilation compilation)
        {
            _compilation = compilation;
            _librariesMayBeTraced = compilation.References
                .Select(compilation.GetAssemblyOrModuleSymbol)
                .OfType<IAssemblySymbol>()
                .Any(a => a.Name != "AgentScript" && a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "AgentScript")));
            // Names of source methods that carry any attribute, read from syntax only (namespaces and types are walked, no
            // member bodies): a name outside this set cannot be a [Traced] source method, and the declaration-table
            // lookup below (which builds the member symbols of every type declaring the name) is skipped for it.
            _attributedMethodNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax || n is TypeDeclarationSyntax))
                {
                    if (node is MethodDeclarationSyntax method && method.AttributeLists.Count > 0)
                        _attributedMethodNames.Add(method.Identifier.ValueText);
                }
            }
        }

        public static TracedNameFilter For(Compilation compilation) =>
            Filters.GetValue(compilation, c => new TracedNameFilter(c));

        public bool MayBeTraced(string name) =>
            _librariesMayBeTraced || _attributedMethodNames.Contains(name) && _names.GetOrAdd(name, n => _compilation
                .GetSymbolsWithName(n, SymbolFilter.Member)
                .OfType<IMethodSymbol>()
                .Any(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == WellKnownNames.TracedAttribute)));
    }
}
