using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// The SQL function <c>agentscript_rank_hints(message, exception, payload)</c> that fills the events index's
/// <c>rank_hints</c> column: the event's length-class token (<see cref="SqliteSchema.SizeClassToken"/> and a letter for
/// its token count as FTS5's unicode61 tokenizer counts it — runs of letters, digits and private-use characters) and
/// the words it holds more than once (bm25 ranks a repeated word above a shorter event). One call per event.
/// </summary>
internal static class SqliteTokenCount
{
    public const string FunctionName = "agentscript_rank_hints";

    /// <summary>Most tokens of one event the repeats are looked for in (the rest are only counted).</summary>
    private const int MaxRepeatTokens = 128;

    /// <summary>Registers the function on an open connection (deterministic, so SQLite may reuse a result).</summary>
    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, string?, string?, string>(FunctionName, Hints, isDeterministic: true);

    /// <summary>
    /// The rank hints of an event: its class token, then its repeated words. The exception is the stored JSON, whose
    /// 4 key tokens (type, message, stack, trace) the index does not hold.
    /// </summary>
    public static string Hints(string? message, string? exception, string? payload)
    {
        var tokens = Count(message) + (exception is null ? 0 : Math.Max(0, Count(exception) - 4)) + Count(payload);
        var sizeClass = (char)('a' + Math.Clamp(tokens, 1, SqliteSchema.SizeClasses) - 1);
        var repeats = Repeats(message, exception, payload);
        return repeats is null ? SqliteSchema.SizeClassToken + sizeClass : SqliteSchema.SizeClassToken + sizeClass + " " + repeats;
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
