namespace AgentScript.Hosting;

/// <summary>One entry of a script: a mode and a typed adapter that calls the method.</summary>
public sealed class ScriptEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="mode">Mode name (<c>working</c>, <c>debug</c>, …).</param>
    /// <param name="description">Shown by <c>--help</c>.</param>
    /// <param name="invoke">Calls the entry method and captures its result.</param>
    public ScriptEntry(string mode, string? description, Func<ScriptContext, ValueTask<EntryResult>> invoke)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mode);
        ArgumentNullException.ThrowIfNull(invoke);
        Mode = mode;
        Description = description;
        Invoke = invoke;
    }

    /// <summary>Mode name.</summary>
    public string Mode { get; }
    /// <summary>Shown by <c>--help</c>.</summary>
    public string? Description { get; }
    /// <summary>Calls the entry.</summary>
    public Func<ScriptContext, ValueTask<EntryResult>> Invoke { get; }
}
