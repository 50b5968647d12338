using Serilog.Events;

namespace AgentScript.Model;

/// <summary>The level names stored with every event (upper case).</summary>
public static class LogLevels
{
    /// <summary>Finest detail (Serilog <c>Verbose</c>).</summary>
    public const string Trace = "TRACE";
    /// <summary>Diagnostic detail.</summary>
    public const string Debug = "DEBUG";
    /// <summary>Normal operation (Serilog <c>Information</c>).</summary>
    public const string Info = "INFO";
    /// <summary>Something unexpected that the script survived.</summary>
    public const string Warning = "WARNING";
    /// <summary>An operation failed.</summary>
    public const string Error = "ERROR";
    /// <summary>The script cannot go on (Serilog <c>Fatal</c>).</summary>
    public const string Critical = "CRITICAL";

    /// <summary>All level names from least to most severe.</summary>
    public static IReadOnlyList<string> All { get; } = [Trace, Debug, Info, Warning, Error, Critical];

    /// <summary>Maps a Serilog level to the stored level name.</summary>
    public static string FromSerilog(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => Trace,
        LogEventLevel.Debug => Debug,
        LogEventLevel.Information => Info,
        LogEventLevel.Warning => Warning,
        LogEventLevel.Error => Error,
        _ => Critical,
    };

    /// <summary>Severity rank (0 = TRACE … 5 = CRITICAL), or -1 for an unknown name.</summary>
    public static int Rank(string level) => level.ToUpperInvariant() switch
    {
        Trace => 0,
        Debug => 1,
        Info or "INFORMATION" => 2,
        Warning or "WARN" => 3,
        Error => 4,
        Critical or "FATAL" => 5,
        _ => -1,
    };

    /// <summary>Normalises user input (any case, Serilog or seed names) to a stored level name.</summary>
    /// <exception cref="ArgumentException">The name is not a known level.</exception>
    public static string Normalize(string level)
    {
        var rank = Rank(level);
        if (rank < 0)
        {
            throw new ArgumentException(
                $"Unknown level '{level}'. Use one of: {string.Join(", ", All)}.", nameof(level));
        }
        return All[rank];
    }
}
