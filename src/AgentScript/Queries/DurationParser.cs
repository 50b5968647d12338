using System.Globalization;

namespace AgentScript.Queries;

/// <summary>Parses the short durations used on the command line and in configuration: <c>500ms 5s 10m 2h 30d 1w</c>.</summary>
internal static class DurationParser
{
    /// <summary>Tries to parse <paramref name="text"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        var unitStart = 0;
        while (unitStart < text.Length && (char.IsAsciiDigit(text[unitStart]) || text[unitStart] == '.'))
        {
            unitStart++;
        }
        if (unitStart == 0 || !double.TryParse(text.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        double? ms = text[unitStart..].ToLowerInvariant() switch
        {
            "ms" => number,
            "s" or "sec" or "secs" or "seconds" => number * 1000,
            "m" or "min" or "mins" or "minutes" => number * 60_000,
            "h" or "hour" or "hours" => number * 3_600_000,
            "d" or "day" or "days" => number * 86_400_000,
            "w" or "week" or "weeks" => number * 604_800_000,
            _ => null,
        };
        if (ms is null || ms > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }
        value = TimeSpan.FromMilliseconds(ms.Value);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws a <see cref="FormatException"/> that shows the accepted forms.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"Invalid duration '{text}'. Use a number followed by a unit: ms, s, m, h, d or w (for example 30d or 5s).");
}
