using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// The SQL function <c>agentscript_tokens(text)</c>: how many tokens FTS5's unicode61 tokenizer makes of a text (runs of
/// letters, digits and private-use characters; everything else separates). The events index stores each event's length
/// class from it (<see cref="SqliteSchema.SizeClassExpression"/>), so the class matches bm25's document length.
/// </summary>
internal static class SqliteTokenCount
{
    public const string FunctionName = "agentscript_tokens";

    /// <summary>Registers the function on an open connection (deterministic, so SQLite may reuse a result).</summary>
    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, long>(FunctionName, Count, isDeterministic: true);

    /// <summary>The token count of <paramref name="text"/> (0 for null).</summary>
    public static long Count(string? text)
    {
        if (text is null)
        {
            return 0;
        }
        long tokens = 0;
        var inToken = false;
        foreach (var c in text)
        {
            var tokenChar = c < 128 ? char.IsAsciiLetterOrDigit(c) : IsTokenChar(c);
            if (tokenChar && !inToken)
            {
                tokens++;
            }
            inToken = tokenChar;
        }
        return tokens;
    }

    private static bool IsTokenChar(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.PrivateUse => true,
        // Characters outside the BMP arrive as surrogate pairs: counted as token characters (letters are the common case).
        UnicodeCategory.Surrogate => true,
        _ => false,
    };
}
