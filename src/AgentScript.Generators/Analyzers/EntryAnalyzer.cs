using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// The template rules about entries: callable shape (AGS001), unique modes (AGS002), a debug entry (AGS003),
    /// no entry point of the project's own (AGS004), a final response (AGS010) that JSON can hold (AGS014), and a
    /// summary on the script class (AGS015).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EntryAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.UnsupportedEntrySignature,
            DiagnosticDescriptors.DuplicateMode,
            DiagnosticDescriptors.MissingDebugEntry,
            DiagnosticDescriptors.OwnEntryPoint,
            DiagnosticDescriptors.NoFinalResponse,
            DiagnosticDescriptors.NonSerializableResponse,
            DiagnosticDescriptors.MissingScriptSummary,
            DiagnosticDescriptors.InvalidModeName);

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
                var state = new State();
                start.RegisterSymbolAction(c => AnalyzeMethod(c, symbols, state), SymbolKind.Method);
                start.RegisterSymbolAction(c => AnalyzeType(c, symbols), SymbolKind.NamedType);
                start.RegisterSyntaxNodeAction(c =>
                {
                    if (!IsGenerated(c.Node.SyntaxTree))
                        state.GlobalStatements.Add(c.Node.GetLocation());
                }, SyntaxKind.GlobalStatement);
                start.RegisterCompilationEndAction(c => AnalyzeCompilation(c, state));
            });
        }

        private sealed class State
        {
            /// <summary>Entries the generator writes an adapter for (supported shape, valid mode name).</summary>
            public readonly ConcurrentBag<(string Mode, IMethodSymbol Method)> Entries = new ConcurrentBag<(string, IMethodSymbol)>();
            /// <summary>Every [AgentScript] method, whatever its shape or mode name.</summary>
            public readonly ConcurrentBag<(string Mode, IMethodSymbol Method)> AnyEntry = new ConcurrentBag<(string, IMethodSymbol)>();
            public readonly ConcurrentBag<IMethodSymbol> MainMethods = new ConcurrentBag<IMethodSymbol>();
            public readonly ConcurrentBag<Location> GlobalStatements = new ConcurrentBag<Location>();
        }

        private static void AnalyzeMethod(SymbolAnalysisContext context, AgentScriptSymbols symbols, State state)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (method.Locations.Length == 0 || !method.Locations[0].IsInSource || IsGenerated(method.Locations[0].SourceTree))
                return;
            if (method.Name == "Main" && IsEntryPointShape(method))
                state.MainMethods.Add(method);

            var attribute = AgentScriptSymbols.GetAttribute(method, symbols.AgentScriptAttribute);
            if (attribute == null)
                return;
            var mode = ModeNames.Of(attribute);
            state.AnyEntry.Add((mode, method));
            var location = method.Locations[0];
            var name = method.ContainingType.Name + "." + method.Name;
            var modeProblem = ModeNames.Problem(mode);
            if (modeProblem != null)
            {
                var argument = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is AttributeSyntax syntax
                    && syntax.ArgumentList?.Arguments.Count > 0 ? syntax.ArgumentList.Arguments[0].GetLocation() : location;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidModeName, argument, mode, name, modeProblem));
            }

            var signature = EntrySignature.Classify(method);
            if (signature.IsSupported && modeProblem == null)
                state.Entries.Add((mode, method));
            if (!signature.IsSupported)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedEntrySignature, location, name, signature.Problem));
            }
            else if (!signature.HasFinalResponse)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoFinalResponse, location, name));
            }
            else
            {
                var problem = SerializationProblem(signature.ResultType!, symbols, 0);
                if (problem != null)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonSerializableResponse, location,
                        name, signature.ResultType!.ToDisplayString(), problem));
            }

        }

        /// <summary>AGS015 runs per type (not per entry) so the diagnostic is local to the symbol that owns it.</summary>
        private static void AnalyzeType(SymbolAnalysisContext context, AgentScriptSymbols symbols)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct)
                return;
            foreach (var member in type.GetMembers())
            {
                if (member.Kind == SymbolKind.Method && symbols.IsEntry(member))
                {
                    CheckSummary(context, type);
                    return;
                }
            }
        }

        private static void AnalyzeCompilation(CompilationAnalysisContext context, State state)
        {
            if (state.AnyEntry.IsEmpty)
                return;
            // The order the generator uses to pick the entry of a mode: the first is kept, the others are reported.
            var entries = state.Entries.OrderBy(e => ModeNames.SortKey(e.Method), ModeNames.SortKeyComparer).ToList();
            var mainMessage = "move this code into an [AgentScript] entry and remove it";
            foreach (var main in state.MainMethods)
            {
                var isEntry = state.AnyEntry.Any(e => SymbolEqualityComparer.Default.Equals(e.Method, main));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OwnEntryPoint, main.Locations[0], "The method '" + Display(main) + "' must not",
                    isEntry ? "rename it (an [AgentScript] entry may have any other name; the name Main makes it the program's entry point too)" : mainMessage));
            }
            var firstGlobal = state.GlobalStatements.OrderBy(l => l.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(l => l.SourceSpan.Start).FirstOrDefault();
            if (firstGlobal != null)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OwnEntryPoint, firstGlobal, "Top-level statements", mainMessage));

            foreach (var group in entries.GroupBy(e => e.Mode, ModeNames.Comparer))
            {
                var first = group.First();
                foreach (var duplicate in group.Skip(1))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateMode, duplicate.Method.Locations[0],
                        duplicate.Mode, Display(first.Method), Display(duplicate.Method)));
                }
            }

            // Any entry declaring "debug" counts (an invalid or unsupported one is reported by its own rule).
            var all = state.AnyEntry.OrderBy(e => e.Method.Locations[0].SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(e => e.Method.Locations[0].SourceSpan.Start).ToList();
            if (!all.Any(e => ModeNames.Comparer.Equals(e.Mode, WellKnownNames.DebugMode)))
            {
                var anchor = all.FirstOrDefault(e => e.Mode == WellKnownNames.DefaultMode).Method ?? all[0].Method;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingDebugEntry, anchor.Locations[0]));
            }
        }

        private static string Display(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;

        /// <summary>The shapes C# accepts as a program entry point (a generated Main next to one is CS0017).</summary>
        private static bool IsEntryPointShape(IMethodSymbol method)
        {
            if (!method.IsStatic || method.MethodKind != MethodKind.Ordinary || method.IsGenericMethod)
                return false;
            if (method.Parameters.Length > 1)
                return false;
            if (method.Parameters.Length == 1 && !(method.Parameters[0].Type is IArrayTypeSymbol array && array.ElementType.SpecialType == SpecialType.System_String))
                return false;
            if (method.ReturnsVoid || method.ReturnType.SpecialType == SpecialType.System_Int32)
                return true;
            var returnType = method.ReturnType as INamedTypeSymbol;
            var ns = returnType?.ContainingNamespace?.ToDisplayString();
            if (ns != "System.Threading.Tasks")
                return false;
            return returnType!.MetadataName == "Task"
                || returnType.MetadataName == "Task`1" && returnType.TypeArguments[0].SpecialType == SpecialType.System_Int32;
        }

        /// <summary>Why JSON cannot hold a value of <paramref name="type"/>, or null when it can (as far as a type says).</summary>
        internal static string? SerializationProblem(ITypeSymbol type, AgentScriptSymbols symbols, int depth)
        {
            if (depth > 4)
                return null;
            switch (type.TypeKind)
            {
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return "a pointer is an address, not data";
                case TypeKind.Delegate:
                    return "a delegate is code, not data";
                case TypeKind.Array:
                    return SerializationProblem(((IArrayTypeSymbol)type).ElementType, symbols, depth + 1);
            }
            if (type.SpecialType == SpecialType.System_IntPtr || type.SpecialType == SpecialType.System_UIntPtr)
                return "a native handle or pointer-sized integer has no JSON form";
            if (type.SpecialType == SpecialType.System_Delegate || type.SpecialType == SpecialType.System_MulticastDelegate)
                return "a delegate is code, not data";
            if (type.IsRefLikeType)
                return "a ref struct (Span and friends) cannot be boxed or stored";
            if (AgentScriptSymbols.IsOrInherits(type, symbols.Stream))
                return "a stream is read once and has no JSON form; read it and return the content";
            if (AgentScriptSymbols.IsOrInherits(type, symbols.Task) || AgentScriptSymbols.IsOrInherits(type, symbols.ValueTask)
                || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTaskOfT))
                return "a task is a pending operation; await it and return its result";
            if (AgentScriptSymbols.IsOrInherits(type, symbols.Type) || AgentScriptSymbols.IsOrInherits(type, symbols.MemberInfo))
                return "reflection objects are refused by System.Text.Json";
            if (AgentScriptSymbols.IsOrInherits(type, symbols.CancellationToken) || AgentScriptSymbols.IsOrInherits(type, symbols.Thread)
                || AgentScriptSymbols.IsOrInherits(type, symbols.WaitHandle))
                return "a synchronisation or thread object is not data";
            if (type is INamedTypeSymbol named && named.IsGenericType)
            {
                foreach (var argument in named.TypeArguments)
                {
                    var problem = SerializationProblem(argument, symbols, depth + 1);
                    if (problem != null)
                        return problem;
                }
            }
            return null;
        }

        private static void CheckSummary(SymbolAnalysisContext context, INamedTypeSymbol type)
        {
            string? problem = null;
            SyntaxToken? anchor = null;
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (!(reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax declaration) || IsGenerated(declaration.SyntaxTree))
                    continue;
                if (anchor == null)
                    anchor = declaration.Identifier;
                var doc = DocumentationText(declaration);
                var missing = MissingSummaryParts(doc);
                if (missing == null)
                    return; // One documented declaration is enough for a partial class.
                problem = problem ?? missing;
            }
            if (anchor != null && problem != null)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingScriptSummary, anchor.Value.GetLocation(), type.Name, problem));
        }

        /// <summary>
        /// The doc comment text in front of a declaration. Read from the trivia text so it works whether or not the
        /// build parses documentation comments (without GenerateDocumentationFile they can be plain comments).
        /// </summary>
        internal static string DocumentationText(MemberDeclarationSyntax declaration)
        {
            var text = new System.Text.StringBuilder();
            foreach (var trivia in declaration.GetLeadingTrivia())
            {
                switch (trivia.Kind())
                {
                    case SyntaxKind.SingleLineDocumentationCommentTrivia:
                    case SyntaxKind.MultiLineDocumentationCommentTrivia:
                        text.Append(trivia.ToFullString());
                        break;
                    case SyntaxKind.SingleLineCommentTrivia:
                        var s = trivia.ToString();
                        if (s.StartsWith("///", System.StringComparison.Ordinal))
                            text.AppendLine(s);
                        break;
                }
            }
            return text.ToString();
        }

        /// <summary>What the summary lacks, as a message fragment, or null when it has purpose, input and output.</summary>
        internal static string? MissingSummaryParts(string doc)
        {
            if (doc.IndexOf("<summary>", System.StringComparison.OrdinalIgnoreCase) < 0)
                return "has no /// <summary> doc comment";
            var missing = new List<string>();
            if (doc.IndexOf("input", System.StringComparison.OrdinalIgnoreCase) < 0)
                missing.Add("a sample input");
            if (doc.IndexOf("output", System.StringComparison.OrdinalIgnoreCase) < 0)
                missing.Add("the expected output");
            return missing.Count == 0 ? null : "has a summary that does not give " + string.Join(" or ", missing);
        }

        /// <summary>Defensive check on top of ConfigureGeneratedCodeAnalysis: generator output must never trigger a rule.</summary>
        internal static bool IsGenerated(SyntaxTree? tree)
        {
            if (tree == null)
                return false;
            var path = tree.FilePath ?? "";
            if (path.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase) || path.EndsWith(".generated.cs", System.StringComparison.OrdinalIgnoreCase))
                return true;
            return false;
        }
    }
}
