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
    /// A cheap first check, shared by the generator and AGS013: could a method of this name be <c>[Traced]</c> at all?
    /// Answered from syntax (declarations only, no member bodies) and then the compilation's declaration table, once per
    /// name and compilation, so the costly binding runs only for calls and declarations whose name matches a traced
    /// method. When a referenced library itself references AgentScript, its methods may carry <c>[Traced]</c> too, and
    /// every name is a candidate.
    /// </summary>
    internal sealed class TracedNameFilter
    {
        private static readonly ConditionalWeakTable<Compilation, TracedNameFilter> Filters = new ConditionalWeakTable<Compilation, TracedNameFilter>();

        private readonly Compilation _compilation;
        private readonly bool _librariesMayBeTraced;
        private readonly HashSet<string> _candidateNames;
        private readonly HashSet<string> _genericCandidateNames;
        private readonly bool _otherKindsMayBeTraced;
        private readonly ConcurrentDictionary<string, bool> _names = new ConcurrentDictionary<string, bool>();

        private TracedNameFilter(Compilation compilation)
        {
            _compilation = compilation;
            _librariesMayBeTraced = compilation.References
                .Select(compilation.GetAssemblyOrModuleSymbol)
                .OfType<IAssemblySymbol>()
                .Any(a => a.Name != "AgentScript" && a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "AgentScript")));

            // Names of source methods carrying an attribute spelled Traced/TracedAttribute, read from syntax only
            // (namespaces, types and property accessor lists are walked, no member bodies). A using alias could spell the
            // attribute under any name, so when one exists anywhere (global aliases reach every file) any attribute counts.
            var traced = new HashSet<string>(StringComparer.Ordinal);
            var attributed = new HashSet<string>(StringComparer.Ordinal);
            // Generic methods, or methods of generic types: a call's type arguments may be types the interceptor cannot name.
            var genericTraced = new HashSet<string>(StringComparer.Ordinal);
            var genericAttributed = new HashSet<string>(StringComparer.Ordinal);
            bool tracedOther = false, attributedOther = false, alias = false, dynamicMembers = false;
            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax
                    || n is TypeDeclarationSyntax || n is BasePropertyDeclarationSyntax || n is AccessorListSyntax))
                {
                    dynamicMembers = dynamicMembers || MemberType(node) is TypeSyntax type && MentionsDynamic(type);
                    switch (node)
                    {
                        case UsingDirectiveSyntax u:
                            alias |= u.Alias != null;
                            break;
                        // Explicit interface implementations are not named by their identifier: counted with the other kinds.
                        case MethodDeclarationSyntax m when m.AttributeLists.Count > 0 && m.ExplicitInterfaceSpecifier == null:
                            var isGeneric = m.TypeParameterList != null || m.Ancestors().OfType<TypeDeclarationSyntax>().Any(t => t.TypeParameterList != null);
                            attributed.Add(m.Identifier.ValueText);
                            if (isGeneric)
                                genericAttributed.Add(m.Identifier.ValueText);
                            if (HasTracedSpelling(m.AttributeLists))
                            {
                                traced.Add(m.Identifier.ValueText);
                                if (isGeneric)
                                    genericTraced.Add(m.Identifier.ValueText);
                            }
                            break;
                        // Accessors, operators, conversions, destructors, explicit implementations: AGS013 says they cannot be traced.
                        case BaseMethodDeclarationSyntax b when b.AttributeLists.Count > 0 && !(b is ConstructorDeclarationSyntax):
                            attributedOther = true;
                            tracedOther |= HasTracedSpelling(b.AttributeLists);
                            break;
                        case AccessorDeclarationSyntax a when a.AttributeLists.Count > 0:
                            attributedOther = true;
                            tracedOther |= HasTracedSpelling(a.AttributeLists);
                            break;
                    }
                }
            }
            DeclaresDynamicMembers = dynamicMembers;
            _candidateNames = alias ? attributed : traced;
            _genericCandidateNames = alias ? genericAttributed : genericTraced;
            _otherKindsMayBeTraced = alias ? attributedOther : tracedOther;
        }

        public static TracedNameFilter For(Compilation compilation) =>
            Filters.GetValue(compilation, c => new TracedNameFilter(c));

        /// <summary>False when no method of the compilation or its references can be <c>[Traced]</c>: nothing to look for.</summary>
        public bool AnyCandidates => _librariesMayBeTraced || _candidateNames.Count > 0 || _otherKindsMayBeTraced;

        /// <summary>
        /// True when a source field, property or method has a type that mentions <c>dynamic</c>: using it in any file gives
        /// a value whose calls are bound at run time (AGS013 reports those at the call).
        /// </summary>
        public bool DeclaresDynamicMembers { get; }

        private static TypeSyntax? MemberType(SyntaxNode node) => node switch
        {
            MethodDeclarationSyntax m => m.ReturnType,
            BasePropertyDeclarationSyntax p => p.Type,
            BaseFieldDeclarationSyntax f => f.Declaration.Type,
            _ => null,
        };

        /// <summary>True when <paramref name="type"/> is or contains the name <c>dynamic</c> (syntax only).</summary>
        private static bool MentionsDynamic(TypeSyntax type) =>
            type.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == "dynamic");

        /// <summary>
        /// The names <see cref="IsCandidateName"/> accepts, or null when it accepts every name (a referenced library may
        /// trace its own methods).
        /// </summary>
        public IReadOnlyCollection<string>? CandidateNames => _librariesMayBeTraced ? null : _candidateNames;

        /// <summary>True when a source method named <paramref name="name"/> may carry <c>[Traced]</c> (syntax only, no binding).</summary>
        public bool IsCandidateName(string name) => _librariesMayBeTraced || _candidateNames.Contains(name);

        /// <summary>
        /// True when a source method named <paramref name="name"/> may be a generic <c>[Traced]</c> method or one of a
        /// generic type (syntax only): its calls are bound to check their type arguments.
        /// </summary>
        public bool IsGenericCandidateName(string name) => _genericCandidateNames.Contains(name);

        /// <summary>True when the declared <paramref name="method"/> may carry <c>[Traced]</c> (syntax only, no binding).</summary>
        public bool MayDeclareTraced(IMethodSymbol method) =>
            method.MethodKind == MethodKind.Ordinary ? _candidateNames.Contains(method.Name) : _otherKindsMayBeTraced;

        /// <summary>True when a called method named <paramref name="name"/> may be <c>[Traced]</c> (declaration table, once per name).</summary>
        public bool MayBeTraced(string name) =>
            _librariesMayBeTraced || _candidateNames.Contains(name) && _names.GetOrAdd(name, n => _compilation
                .GetSymbolsWithName(n, SymbolFilter.Member)
                .OfType<IMethodSymbol>()
                .Any(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == WellKnownNames.TracedAttribute)));

        private static bool HasTracedSpelling(SyntaxList<AttributeListSyntax> lists)
        {
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    var name = attribute.Name switch
                    {
                        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                        SimpleNameSyntax s => s.Identifier.ValueText,
                        _ => "",
                    };
                    if (name == "Traced" || name == "TracedAttribute")
                        return true;
                }
            }
            return false;
        }
    }
}
