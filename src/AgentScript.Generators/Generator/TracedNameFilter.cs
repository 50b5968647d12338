using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;

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
        private readonly ConcurrentDictionary<string, bool> _names = new ConcurrentDictionary<string, bool>();

        private TracedNameFilter(Compilation compilation)
        {
            _compilation = compilation;
            _librariesMayBeTraced = compilation.References
                .Select(compilation.GetAssemblyOrModuleSymbol)
                .OfType<IAssemblySymbol>()
                .Any(a => a.Name != "AgentScript" && a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "AgentScript")));
        }

        public static TracedNameFilter For(Compilation compilation) =>
            Filters.GetValue(compilation, c => new TracedNameFilter(c));

        public bool MayBeTraced(string name) =>
            _librariesMayBeTraced || _names.GetOrAdd(name, n => _compilation
                .GetSymbolsWithName(n, SymbolFilter.Member)
                .OfType<IMethodSymbol>()
                .Any(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == WellKnownNames.TracedAttribute)));
    }
}
