// The one rule for mode names, shared by the generator (which entries Main keeps) and the analyzers (AGS002, AGS017).
using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Shared
{
    /// <summary>
    /// Which mode names are valid and which entry wins when two declare the same mode. A mode is what a user types after
    /// <c>dotnet run --</c>, so it is taken exactly as written (no trimming): a letter or digit, then letters, digits,
    /// <c>-</c>, <c>_</c> or <c>.</c>. Modes are compared ignoring case, as the host matches them.
    /// </summary>
    internal static class ModeNames
    {
        public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

        /// <summary>The mode an attribute declares: its first argument, or <c>working</c> when there is none (or it is null).</summary>
        public static string Of(AttributeData attribute) =>
            attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string mode ? mode : WellKnownNames.DefaultMode;

        /// <summary>Null when <paramref name="mode"/> is a valid mode name; otherwise what is wrong with it (a message fragment).</summary>
        public static string? Problem(string mode)
        {
            if (mode.Length == 0)
                return "is empty";
            if (mode.Trim().Length != mode.Length)
                return "has white space around it, and the host matches the name exactly as typed";
            if (Comparer.Equals(mode, "help"))
                return "is reserved: 'help' (like --help) prints the list of modes";
            if (mode[0] == '-')
                return "starts with '-', so the host reads it as an option and runs the default entry instead";
            if (!char.IsLetterOrDigit(mode[0]))
                return "must start with a letter or digit";
            foreach (var c in mode)
            {
                if (!char.IsLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
                    return "contains '" + c + "'; use letters, digits, '-', '_' or '.'";
            }
            return null;
        }

        /// <summary>
        /// The order in which entries of one mode are considered: the generated <c>Main</c> keeps the first, AGS002 reports
        /// the others. By fully qualified method name (not by file position, so an edit elsewhere in a file changes nothing).
        /// </summary>
        public static string SortKey(IMethodSymbol method) =>
            method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name + "/" + method.Parameters.Length;

        public static readonly IComparer<string> SortKeyComparer = StringComparer.Ordinal;
    }
}
