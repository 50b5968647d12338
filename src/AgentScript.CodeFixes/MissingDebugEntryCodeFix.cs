using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AgentScript.CodeFixes
{
    /// <summary>AGS003: adds a <c>[AgentScript("debug")]</c> entry stub next to the working entry.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingDebugEntryCodeFix)), Shared]
    public sealed class MissingDebugEntryCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingDebugEntry);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var method = root!.FindToken(diagnostic.Location.SourceSpan.Start).Parent as MethodDeclarationSyntax;
                if (method?.Parent is not TypeDeclarationSyntax type)
                    continue;
                context.RegisterCodeFix(CodeAction.Create("Add a debug entry",
                    ct =>
                    {
                        var name = "Debug";
                        var names = type.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToList();
                        for (var i = 2; names.Contains(name); i++)
                            name = "Debug" + i;
                        var stub = (MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
                            "/// <summary>Debug mode (<c>dotnet run -- debug</c>): try ideas here and keep the working entry stable.</summary>\n" +
                            "[global::AgentScript.AgentScriptAttribute(\"debug\")]\n" +
                            "public static string " + name + "()\n" +
                            "{\n" +
                            "    // Try an idea here; move what works into the working entry.\n" +
                            "    return \"debug\";\n" +
                            "}\n")!;
                        var attributeName = stub.AttributeLists[0].Attributes[0].Name;
                        stub = stub.ReplaceNode(attributeName, attributeName.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
                        // A blank line before the stub, as between the other members.
                        stub = stub.WithLeadingTrivia(stub.GetLeadingTrivia().Insert(0, SyntaxFactory.EndOfLine("\n")))
                            .WithAdditionalAnnotations(Formatter.Annotation);
                        var newType = type.InsertNodesAfter(method, new[] { stub });
                        return FixHelpers.AddImportsAsync(context.Document.WithSyntaxRoot(root.ReplaceNode(type, newType)), ct);
                    }, nameof(MissingDebugEntryCodeFix)), diagnostic);
            }
        }
    }
}
