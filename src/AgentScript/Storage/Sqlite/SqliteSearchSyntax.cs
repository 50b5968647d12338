using System.Text;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// Turns a user's plain words into an FTS5 query that cannot carry FTS syntax: every word becomes a quoted
/// string (inner quotes doubled), and the words are joined with OR so that bm25 ranks a row matching more of
/// them above one matching fewer.
/// </summary>
internal static class SqliteSearchSyntax
{
    /// <summary>Most words used from one query; the rest are ignored to keep the query cheap.</summary>
    public const int MaxTerms = 32;

    /// <summary>
    /// The FTS5 match expression for <paramref name="text"/>, or null when it holds no searchable word
    /// (only punctuation), which matches nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty or white space.</exception>
    public static string? ToMatchExpression(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The search text is empty. Give one or more words to search for.", nameof(text));
        }
        var sb = new StringBuilder(text.Length + 16);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // A word without a letter or digit yields no token for unicode61; an empty phrase is useless.
            if (!word.Any(char.IsLetterOrDigit) || !seen.Add(word))
            {
                continue;
            }
            if (sb.Length > 0)
            {
                sb.Append(" OR ");
            }
            sb.Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (seen.Count >= MaxTerms)
            {
                break;
            }
        }
        return sb.Length == 0 ? null : sb.ToString();
    }
}
