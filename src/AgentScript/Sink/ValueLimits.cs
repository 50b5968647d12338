using AgentScript.Sanitizing;

namespace AgentScript.Sink;

/// <summary>How far a stored value may grow before it is truncated or summarised.</summary>
internal sealed record ValueLimits
{
    /// <summary>Strings longer than this keep their head and tail around <c>...</c>.</summary>
    public int MaxStringLength { get; init; } = 2000;
    /// <summary>The data part of a base64 <c>data:image/…;base64,</c> URI longer than this is truncated (the header is kept).</summary>
    public int MaxDataUriLength { get; init; } = 100;
    /// <summary>Lists longer than this become a summary <c>[&lt;N type elements&gt;]</c>.</summary>
    public int MaxListElements { get; init; } = 100;
    /// <summary>Nesting deeper than this is cut with a placeholder.</summary>
    public int MaxDepth { get; init; } = 10;
    /// <summary>Objects with more keys than this keep the first ones and a count of the rest.</summary>
    public int MaxProperties { get; init; } = 200;
    /// <summary>
    /// Total JSON size of one value; past it, remaining children become a placeholder. Guards against graphs whose
    /// shared nodes expand exponentially when written as a tree (cycle detection alone cannot catch those).
    /// </summary>
    public int MaxTotalBytes { get; init; } = 1_000_000;
    /// <summary>
    /// Time spent reading one object value (enumerating, calling getters); past it, the remaining members become a
    /// placeholder and an enumeration ends in a summary. Guards against endless or very slow enumerables.
    /// </summary>
    public TimeSpan MaxWriteTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Secret values redacted wherever they appear (by default those of the process environment).</summary>
    internal KnownSecrets Secrets { get; init; } = KnownSecrets.Process;

    /// <summary>Limits for log event properties (<c>extra</c>), metadata and learnings.</summary>
    public static ValueLimits Properties { get; } = new();

    /// <summary>The much larger limits of a run's final response payload.</summary>
    public static ValueLimits Payload { get; } = new()
    {
        MaxStringLength = 200_000,
        MaxDataUriLength = 1000,
        MaxListElements = 10_000,
        // Room for the document that carries it (an event, a run) within the common JSON reader default of 64.
        MaxDepth = 48,
        MaxProperties = 10_000,
        MaxTotalBytes = 5_000_000,
        MaxWriteTime = TimeSpan.FromSeconds(5),
    };
}
