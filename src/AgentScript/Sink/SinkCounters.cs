namespace AgentScript.Sink;

/// <summary>
/// What the write pipeline has done since it started. Every write ends up stored, buffered (then replayed) or
/// dead-lettered; <see cref="Dropped"/> counts writes lost because the durable buffer was full or unwritable and
/// must stay 0.
/// </summary>
internal sealed class SinkCounters
{
    private long _received;
    private long _stored;
    private long _buffered;
    private long _replayed;
    private long _deadLettered;
    private long _dropped;
    private long _spilled;

    /// <summary>Writes handed to the pipeline (events, run records, learnings, relations).</summary>
    public long Received => Interlocked.Read(ref _received);
    /// <summary>Writes the store accepted directly from memory.</summary>
    public long Stored => Interlocked.Read(ref _stored);
    /// <summary>Writes appended to the durable buffer (store down or slow, memory queue full, or synchronous durability).</summary>
    public long Buffered => Interlocked.Read(ref _buffered);
    /// <summary>Writes read back from the durable buffer and accepted by the store.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);
    /// <summary>Writes the store refused for good, kept in the dead-letter file.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);
    /// <summary>Writes lost (durable buffer full or unwritable). Must stay 0.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    /// <summary>Of <see cref="Buffered"/>, writes that went to the buffer because the memory queue was full.</summary>
    public long Spilled => Interlocked.Read(ref _spilled);

    internal void AddReceived(long n = 1) => Interlocked.Add(ref _received, n);
    internal void AddStored(long n) => Interlocked.Add(ref _stored, n);
    internal void AddBuffered(long n) => Interlocked.Add(ref _buffered, n);
    internal void AddReplayed(long n) => Interlocked.Add(ref _replayed, n);
    internal void AddDeadLettered(long n) => Interlocked.Add(ref _deadLettered, n);
    internal void AddDropped(long n) => Interlocked.Add(ref _dropped, n);
    internal void AddSpilled(long n) => Interlocked.Add(ref _spilled, n);

    /// <summary>A consistent-enough copy for printing and the status file.</summary>
    public SinkCountersSnapshot Snapshot() => new(Received, Stored, Buffered, Replayed, DeadLettered, Dropped, Spilled);
}

/// <summary>A copy of <see cref="SinkCounters"/>.</summary>
/// <param name="Received">Writes handed to the pipeline.</param>
/// <param name="Stored">Writes stored directly.</param>
/// <param name="Buffered">Writes appended to the durable buffer.</param>
/// <param name="Replayed">Writes replayed from the buffer into the store.</param>
/// <param name="DeadLettered">Writes refused by the store for good.</param>
/// <param name="Dropped">Writes lost (must be 0).</param>
/// <param name="Spilled">Writes buffered because the memory queue was full.</param>
internal sealed record SinkCountersSnapshot(long Received, long Stored, long Buffered, long Replayed, long DeadLettered, long Dropped, long Spilled);
