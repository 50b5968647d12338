namespace AgentScript.Queries;

/// <summary>How much context to return around each error: a time span or a number of events on each side.</summary>
public sealed record ContextWindow
{
    private ContextWindow(TimeSpan? time, int? events) { Time = time; Events = events; }

    /// <summary>Events within ± this time of the error (same run).</summary>
    public TimeSpan? Time { get; }
    /// <summary>This many events before and after the error (same run).</summary>
    public int? Events { get; }

    /// <summary>± the given time span.</summary>
    public static ContextWindow Around(TimeSpan time) =>
        time < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(time), "The context window cannot be negative.") : new(time, null);

    /// <summary>± the given number of events.</summary>
    public static ContextWindow EventCount(int events) =>
        events < 0 ? throw new ArgumentOutOfRangeException(nameof(events), "The context window cannot be negative.") : new(null, events);

    /// <summary>The default: ± 5 seconds.</summary>
    public static ContextWindow Default { get; } = new(TimeSpan.FromSeconds(5), null);

    /// <summary>Parses <c>5s</c>, <c>500ms</c>, <c>2m</c> (a time span) or <c>10</c> (a number of events).</summary>
    /// <exception cref="FormatException">Neither form; the message shows both.</exception>
    public static ContextWindow Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return EventCount(n);
        }
        if (DurationParser.TryParse(text, out var span))
        {
            return Around(span);
        }
        throw new FormatException($"Invalid context window '{text}'. Use a duration such as 5s, 500ms or 2m, or a number of events such as 10.");
    }
}
