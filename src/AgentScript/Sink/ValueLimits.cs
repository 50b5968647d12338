namespace AgentScript.Sink;

/// <summary>How far <see cref="ValueSanitizer"/> lets a value grow before it truncates or summarises it.</summary>
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

    /// <summary>Limits for log event properties (<c>extra</c>), metadata and learnings.</summary>
    public static ValueLimits Properties { get; } = new();

    /// <summary>The much larger limits of a run's final response payload.</summary>
    public static ValueLimits Payload { get; } = new()
    {
        MaxStringLength = 200_000,
        MaxDataUriLength = 1000,
        MaxListElements = 10_000,
        MaxDepth = 64,
        MaxProperties = 10_000,
        MaxTotalBytes = 5_000_000,
    };
}
