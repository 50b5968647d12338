using System.Globalization;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Infrastructure;

/// <summary>Turns option text into values, with usage errors that name the option and show the accepted forms.</summary>
internal static class CliParsing
{
    /// <summary>A duration such as <c>30d</c> or <c>5s</c>.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        if (DurationParser.TryParse(text, out var value))
        {
            return value;
        }
        throw CliException.Usage(
            $"Invalid duration '{text}' for {option}. Use a number followed by a unit: ms, s, m, h, d or w (for example 30d or 5s).");
    }

    /// <summary>
    /// A point in time: a duration back from now (<c>2h</c> = two hours ago) or an ISO-8601 time
    /// (a time without an offset is UTC).
    /// </summary>
    public static DateTimeOffset? Time(string? text, string option, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DurationParser.TryParse(text, out var ago))
        {
            return now - ago;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }
        throw CliException.Usage(
            $"Invalid time '{text}' for {option}. Use a duration back from now (30m, 2h, 7d) or an ISO-8601 time (2026-11-24T10:00:00Z).");
    }

    /// <summary>A level name in any case (INFO, info, Warning, fatal…), normalised.</summary>
    public static string? Level(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (LogLevels.Rank(text) < 0)
        {
            throw CliException.Usage($"Unknown level '{text}' for --level. Use one of: {string.Join(", ", LogLevels.All)}.");
        }
        return LogLevels.Normalize(text);
    }

    /// <summary>A run status name.</summary>
    public static RunStatus? Status(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return RunStatusNames.Parse(text);
        }
        catch (ArgumentException)
        {
            throw CliException.Usage($"Unknown status '{text}' for --status. Use one of: running, success, failed, cancelled, abandoned.");
        }
    }

    /// <summary>A confidence between 0 and 1.</summary>
    public static double? Confidence(double? value, string option)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0 || v > 1))
        {
            throw CliException.Usage($"Invalid {option} {v.ToString(CultureInfo.InvariantCulture)}. Use a number from 0 to 1, for example 0.8.");
        }
        return value;
    }

    /// <summary>A count that must be positive.</summary>
    public static int Positive(int value, string option, int max = int.MaxValue)
    {
        if (value < 1 || value > max)
        {
            throw CliException.Usage($"Invalid {option} {value}. Use a whole number from 1 to {max}.");
        }
        return value;
    }

    /// <summary>A count that must not be negative.</summary>
    public static int NotNegative(int value, string option)
    {
        if (value < 0)
        {
            throw CliException.Usage($"Invalid {option} {value}. Use 0 or more.");
        }
        return value;
    }

    /// <summary>
    /// A bind parameter <c>name=value</c>. The value is typed the way a JSON literal would be: whole numbers become
    /// integers, decimals doubles, <c>true</c>/<c>false</c> booleans, <c>null</c> null; anything else — and any value
    /// in single quotes, which forces text — is a string.
    /// </summary>
    public static KeyValuePair<string, object?> Parameter(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0)
        {
            throw CliException.Usage($"Invalid --param '{text}'. Use name=value, for example --param script=hello or --param n=10.");
        }
        var name = text[..eq].Trim().TrimStart('@', ':', '$');
        if (name.Length == 0)
        {
            throw CliException.Usage($"Invalid --param '{text}': the name is empty. Use name=value.");
        }
        var raw = text[(eq + 1)..];
        object? value;
        if (raw.Length >= 2 && raw[0] == '\'' && raw[^1] == '\'')
        {
            value = raw[1..^1];
        }
        else if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
        }
        else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && raw.Any(char.IsAsciiDigit))
        {
            value = d;
        }
        else
        {
            value = raw switch
            {
                "true" => true,
                "false" => false,
                "null" => null,
                _ => raw,
            };
        }
        return new(name, value);
    }
}
