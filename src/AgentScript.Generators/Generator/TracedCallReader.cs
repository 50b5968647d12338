using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.Generators.Generator
{
    /// <summary>
    /// Finds calls of <c>[Traced]</c> methods and describes the interceptor each needs. Calls the generator cannot
    /// wrap faithfully (struct receivers, <c>base</c> calls, ref-like or pointer types, open generic contexts,
    /// inaccessible methods) are left alone, untraced.
    /// </summary>
    internal static class TracedCallReader
    {
        public static TracedCallModel? Read(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var invocation = (InvocationExpressionSyntax)context.Node;

            // Cheap syntactic filter first: only named calls can be intercepted, and base calls would change meaning.
            SimpleNameSyntax name;
            switch (invocation.Expression)
            {
                case MemberAccessExpressionSyntax access when access.Expression is BaseExpressionSyntax:
                    return null;
                case MemberAccessExpressionSyntax access:
                    name = access.Name;
                    break;
                case SimpleNameSyntax simple:
                    name = simple;
                    break;
                case MemberBindingExpressionSyntax binding:
                    name = binding.Name;
                    break;
                default:
                    return null;
            }
            if (!TracedNameFilter.For(context.SemanticModel.Compilation).MayBeTraced(name.Identifier.ValueText))
                return null;

            if (!(CallSiteBinder.Resolve(context.SemanticModel, invocation, cancellationToken) is IMethodSymbol called))
                return null;
            var definition = (called.ReducedFrom ?? called).OriginalDefinition;
            if (!TryGetTracedName(definition, out var spanOverride))
                return null;
            if (called.MethodKind != MethodKind.Ordinary && called.MethodKind != MethodKind.ReducedExtension)
                return null;
            // Members of a C# 14 extension block live in a type the interceptor cannot name (AGS013 says so).
            if (TracedShapes.IsInExtensionBlock(definition))
                return null;
            // An async stream runs when it is enumerated, after the call has returned: a span around the call would
            // measure nothing (AGS013 says so).
            if (TracedShapes.ReturnsAsyncStream(definition))
                return null;
            if (called.IsVararg || called.ReturnsByRef || called.ReturnsByRefReadonly || !EntryReader.IsReachable(definition, allowGenericTypes: true))
                return null;

            TracedCallKind kind;
            IMethodSymbol target;
            if (called.ReducedFrom != null)
            {
                kind = TracedCallKind.Extension;
                target = called.GetConstructedReducedFrom() ?? called.ReducedFrom;
            }
            else if (called.IsExtensionMethod)
            {
                kind = TracedCallKind.Extension;
                target = called;
            }
            else if (called.IsStatic)
            {
                kind = TracedCallKind.Static;
                target = called;
            }
            else
            {
                // A struct receiver would need a `this ref` interceptor and careful copy semantics; not worth the risk.
                if (called.ContainingType.IsValueType)
                    return null;
                kind = TracedCallKind.Instance;
                target = called;
            }

            if (!TracedShapes.IsNameable(target.ContainingType) || target.TypeArguments.Any(t => !TracedShapes.IsNameable(t)))
                return null;
            if (!target.ReturnsVoid && !TracedShapes.IsNameable(target.ReturnType))
                return null;

            var returnKind = ClassifyReturn(target);
            var isAsync = returnKind != EntryReturnKind.Void && returnKind != EntryReturnKind.Value;
            var parameters = new List<TracedParameter>(target.Parameters.Length);
            foreach (var p in target.Parameters)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // An out parameter is implicitly scoped, and so is the interceptor's: only an explicit `scoped` is refused.
                if (!TracedShapes.IsNameable(p.Type) || p.ScopedKind != ScopedKind.None && p.RefKind != RefKind.Out)
                    return null;
                string refKind;
                switch (p.RefKind)
                {
                    case RefKind.None: refKind = ""; break;
                    case RefKind.Ref: refKind = "ref "; break;
                    case RefKind.Out: refKind = "out "; break;
                    case RefKind.In: refKind = "in "; break;
                    case RefKind.RefReadOnlyParameter: refKind = TracedParameter.RefReadonly; break;
                    default: return null;
                }
                // An async interceptor cannot take by-reference parameters.
                if (isAsync && refKind.Length > 0)
                    return null;
                parameters.Add(new TracedParameter(p.Type.ToDisplayString(EntryReader.TypeFormat), refKind, FlowAttributes.ForParameter(p, target)));
            }

            var location = context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken);
            if (location == null)
                return null;

            var typeArguments = target.IsGenericMethod
                ? "<" + string.Join(", ", target.TypeArguments.Select(t => t.ToDisplayString(EntryReader.TypeFormat))) + ">"
                : "";
            var signature = new TracedSignature(
                kind,
                target.ContainingType.ToDisplayString(EntryReader.TypeFormat),
                target.Name,
                typeArguments,
                target.ReturnsVoid ? "void" : target.ReturnType.ToDisplayString(EntryReader.TypeFormat),
                returnKind,
                parameters.ToEquatableArray(),
                spanOverride ?? DefaultSpanName(definition),
                FlowAttributes.ForReturn(target));

            return new TracedCallModel(signature, new InterceptLocationModel(location.Version, location.Data, Display(invocation)));
        }

        private static bool TryGetTracedName(IMethodSymbol method, out string? name)
        {
            name = null;
            foreach (var attribute in method.GetAttributes())
            {
                var cls = attribute.AttributeClass;
                if (cls == null || cls.Name != "TracedAttribute" || cls.ToDisplayString() != WellKnownNames.TracedAttribute)
                    continue;
                if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string s && !string.IsNullOrWhiteSpace(s))
                    name = s;
                return true;
            }
            return false;
        }

        private static string DefaultSpanName(IMethodSymbol method)
        {
            var parts = new List<string> { method.Name };
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
                parts.Insert(0, t.Name);
            return string.Join(".", parts);
        }

        private static string Display(InvocationExpressionSyntax invocation)
        {
            SyntaxNode nameNode = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                _ => invocation.Expression,
            };
            var span = nameNode.GetLocation().GetLineSpan();
            var file = Path.GetFileName(span.Path);
            return $"{file}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        }

        internal static EntryReturnKind ClassifyReturn(IMethodSymbol method)
        {
            if (method.ReturnsVoid)
                return EntryReturnKind.Void;
            var original = method.ReturnType.OriginalDefinition;
            var ns = original.ContainingNamespace?.ToDisplayString();
            if (ns == "System.Threading.Tasks")
            {
                switch (original.MetadataName)
                {
                    case "Task": return EntryReturnKind.Task;
                    case "Task`1": return EntryReturnKind.TaskOfT;
                    case "ValueTask": return EntryReturnKind.ValueTask;
                    case "ValueTask`1": return EntryReturnKind.ValueTaskOfT;
                }
            }
            return EntryReturnKind.Value;
        }
    }
}
