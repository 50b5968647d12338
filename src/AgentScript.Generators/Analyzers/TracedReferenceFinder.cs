using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// The names in one file that may refer to a <c>[Traced]</c> method, for AGS013. The file's text is searched for the
    /// few candidate names and each match is looked up in the tree: walking every token of every file (about 40,000
    /// identifiers in a 200-file project) cost 70 to 130 ms a build, the text search a few milliseconds. The token walk
    /// stays for what text cannot answer: every name is a candidate (a referenced library traces its own methods), or
    /// the file may spell an identifier with a Unicode escape.
    /// </summary>
    internal static class TracedReferenceFinder
    {
        /// <summary>
        /// The simple names of <paramref name="tree"/> spelled like a candidate of <paramref name="names"/>, in file order,
        /// and whether the file may name <c>dynamic</c> (a text match anywhere counts: it only makes AGS013 bind more calls).
        /// </summary>
        public static (List<SimpleNameSyntax> Candidates, bool MayBeDynamic) Find(SyntaxTree tree, Generator.TracedNameFilter names,
            CancellationToken cancellationToken)
        {
            var root = tree.GetRoot(cancellationToken);
            var text = tree.GetText(cancellationToken).ToString();
            var candidateNames = names.CandidateNames;
            if (candidateNames == null || MayHaveUnicodeEscape(text))
                return WalkTokens(root, names);
            var found = new List<SimpleNameSyntax>();
            foreach (var name in candidateNames)
            {
                for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.Ordinal))
                {
                    // The token at the match: an identifier of exactly this name (not a longer one, not in a comment or string).
                    var token = root.FindToken(at);
                    if (token.Span.Contains(at) && token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name && token.Parent is SimpleNameSyntax simple)
                        found.Add(simple);
                }
            }
            found.Sort((a, b) => a.SpanStart.CompareTo(b.SpanStart));
            return (found, text.IndexOf("dynamic", StringComparison.Ordinal) >= 0);
        }

        /// <summary>Every identifier token, as the compiler reads it (escapes decoded).</summary>
        private static (List<SimpleNameSyntax>, bool) WalkTokens(SyntaxNode root, Generator.TracedNameFilter names)
        {
            var found = new List<SimpleNameSyntax>();
            var mayBeDynamic = false;
            foreach (var token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken))
                    continue;
                mayBeDynamic = mayBeDynamic || token.ValueText == "dynamic";
                if (token.Parent is SimpleNameSyntax name && names.IsCandidateName(token.ValueText))
                    found.Add(name);
            }
            return (found, mayBeDynamic);
        }

        /// <summary>True when the text holds <c>\u</c> or <c>\U</c>: an identifier may be spelled with an escape the text search would miss.</summary>
        private static bool MayHaveUnicodeEscape(string text)
        {
            for (var at = text.IndexOf('\\'); at >= 0 && at + 1 < text.Length; at = text.IndexOf('\\', at + 1))
            {
                if (text[at + 1] == 'u' || text[at + 1] == 'U')
                    return true;
            }
            return false;
        }
    }
}
