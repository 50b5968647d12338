namespace AgentScript.Hosting;

/// <summary>What an entry returned, captured by the generated adapter without reflection.</summary>
public readonly struct EntryResult
{
    private EntryResult(bool hasValue, object? value, Type? valueType, bool isFailure)
    {
        HasValue = hasValue;
        Value = value;
        ValueType = valueType;
        IsFailure = isFailure;
    }

    /// <summary>The entry returns nothing (<c>void</c>, <c>Task</c>, <c>ValueTask</c>).</summary>
    public static EntryResult None => default;

    /// <summary>The entry returned <paramref name="value"/>; a <c>bool</c> <c>false</c> marks the run failed.</summary>
    public static EntryResult From<T>(T value) =>
        new(true, value, typeof(T), value is bool b && !b);

    /// <summary>True when the entry returned a value (the final response).</summary>
    public bool HasValue { get; }
    /// <summary>The returned value.</summary>
    public object? Value { get; }
    /// <summary>The declared return type (used to serialise the final response).</summary>
    public Type? ValueType { get; }
    /// <summary>True when the entry returned <c>false</c>.</summary>
    public bool IsFailure { get; }
}
