using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// The SQL functions the events index needs to store what ranking reads first: <c>agentscript_tokens(text)</c>, how
/// many tokens FTS5's unicode61 tokenizer makes of a text (runs of letters, digits and private-use characters;
/// everything else separates), for the length class (<see cref="SqliteSchema.SizeClassExpression"/>); and
/// <c>agentscript_repeats(a, b, c)</c>, the words that occur more than once in the three texts together (each once,
/// lower case; null if none), for the repeats column — bm25 ranks a repeated word above a shorter event.
/// </summary>
internal static class SqliteTokenCount
{
    public const string FunctionName = "agentscript_tokens";

    public const string RepeatsFunctionName = "agentscript_repeats";

    /// <summary>Most tokens of one event the repeats function compares (the rest are not looked at).</summary>
    private const int MaxRepeatTokens = 128;

    /// <summary>Registers the functions on an open connection (deterministic, so SQLite may reuse a result).</summary>
    public static void Register(SqliteConnection connection)
    {
        connection.CreateFunction<string?, long>(FunctionName, Count, isDeterministic: true);
        connection.CreateFunction<string?, string?, string?, string?>(RepeatsFunctionName, Repeats, isDeterministic: true);
    }

    /// <summary>The words occurring more than once in the texts together, space-separated, or null.</summary>
    public static string? Repeats(string? a, string? b, string? c)
    {
        Span<int> hashes = stackalloc int[MaxRepeatTokens];
        var count = 0;
        System.Text.StringBuilder? repeats = null;
        List<int>? emitted = null;
        foreach (var text in (ReadOnlySpan<string?>)[a, b, c])
        {
            if (text is null)
            {
                continue;
            }
            var start = -1;
            for (var i = 0; i <= text.Length && count < MaxRepeatTokens; i++)
            {
                var tokenChar = i < text.Length && (text[i] < 128 ? char.IsAsciiLetterOrDigit(text[i]) : IsTokenChar(text[i]));
                if (tokenChar && start < 0)
                {
                    start = i;
                }
                else if (!tokenChar && start >= 0)
                {
                    var token = text.AsSpan(start, i - start);
                    var hash = string.GetHashCode(token, StringComparison.OrdinalIgnoreCase);
                    if (hashes[..count].Contains(hash) && (emitted is null || !emitted.Contains(hash)))
                    {
                        (emitted ??= []).Add(hash);
                        repeats = repeats is null ? new System.Text.StringBuilder() : repeats.Append(' ');
                        repeats.Append(token.ToString().ToLowerInvariant());
                    }
                    hashes[count++] = hash;
                    start = -1;
                }
            }
        }
        return repeats?.ToString();
    }

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
