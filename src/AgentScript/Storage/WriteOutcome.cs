namespace AgentScript.Storage;

/// <summary>Result of <see cref="IAgentLogStore.WriteAsync"/>: everything not listed as rejected is stored.</summary>
/// <param name="Rejected">Writes the store refused for good (schema violation, bad key, …) with the reason.</param>
public sealed record WriteOutcome(IReadOnlyList<RejectedWrite> Rejected)
{
    /// <summary>All writes stored.</summary>
    public static WriteOutcome Success { get; } = new([]);
}

/// <summary>A write the store refused for good; it belongs in the dead-letter file, not in a retry.</summary>
/// <param name="Write">The write.</param>
/// <param name="Reason">The store's reason.</param>
public sealed record RejectedWrite(StoreWrite Write, string Reason);
