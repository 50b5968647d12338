using System.Globalization;

namespace AgentScript.Storage.Sqlite;

/// <summary>Timestamps as stored: fixed-width ISO-8601 UTC text, so text order is time order.</summary>
internal static class SqliteTime
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The stored text of <paramref name="time"/>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>The stored text of <paramref name="time"/>, or null.</summary>
    public static string? Format(DateTimeOffset? time) => time is { } t ? Format(t) : null;

    /// <summary>Parses stored text (also accepts other ISO-8601 forms written by hand through raw SQL).</summary>
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
