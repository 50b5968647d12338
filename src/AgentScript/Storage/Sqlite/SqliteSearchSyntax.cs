using System.Text;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// Turns a user's plain words into FTS5 queries that cannot carry FTS syntax: every word becomes a quoted string
/// (inner quotes doubled); on the events index restricted to the text columns (never the rank-hints column). The ranked query joins
/// the words with OR, so that bm25 ranks a row matching more of them above one matching fewer; the candidate
/// queries of the default search (all words, one length class) use the same phrases, so bm25 gives a row the same
/// score whichever of them found it.
/// </summary>
internal static class SqliteSearchSyntax
{
    /// <summary>Most words used from one query; the rest are ignored to keep the query cheap.</summary>
    public const int MaxTerms = 32;

    private const string TextColumns = "{message exception payload} : ";

    /// <summary>
    /// The FTS5 match expression for <paramref name="text"/> over every column (any of its words; used for tables
    /// without a length class), or null when it holds no searchable word (only punctuation), which matches nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty or white space.</exception>
    public static string? ToMatchExpression(string? text) => Words(text) is { } words ? string.Join(" OR ", words) : null;

    /// <summary>The quoted words of <paramref name="text"/>, or null when it holds no searchable word.</summary>
    /// <exception cref="ArgumentException">The text is empty or white space.</exception>
    public static IReadOnlyList<string>? Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The search text is empty. Give one or more words to search for.", nameof(text));
        }
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // A word without a letter or digit yields no token for unicode61; an empty phrase is useless.
            if (!word.Any(char.IsLetterOrDigit) || !seen.Add(word))
            {
                continue;
            }
            words.Add("\"" + word.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            if (words.Count >= MaxTerms)
            {
                break;
            }
        }
        return words.Count == 0 ? null : words;
    }

    /// <summary>Events holding any of the words (the ranked query).</summary>
    public static string AnyWord(IReadOnlyList<string> words) => TextColumns + "(" + string.Join(" OR ", words) + ")";

    /// <summary>Events holding every word.</summary>
    public static string AllWords(IReadOnlyList<string> words) => TextColumns + "(" + string.Join(" AND ", words) + ")";

    /// <summary>Rows of <paramref name="expression"/> that repeat one of the words (see <see cref="SqliteSchema.IndexEventsSelect"/>).</summary>
    public static string RepeatingAWord(string expression, IReadOnlyList<string> words) =>
        "(" + expression + ") AND rank_hints : (" + string.Join(" OR ", words) + ")";

    /// <summary>Rows of <paramref name="expression"/> in one length class (see <see cref="SqliteTokenCount"/>).</summary>
    public static string InSizeClass(string expression, int sizeClass) =>
        new StringBuilder(expression.Length + 40).Append('(').Append(expression).Append(") AND rank_hints : ")
            .Append(SqliteSchema.SizeClassToken).Append((char)('a' + sizeClass)).ToString();
}
