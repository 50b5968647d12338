// Job: what the buffer asks its owner when a write cannot be appended (which writes must not be lost, and whose they are).
using AgentScript.Storage;

namespace AgentScript.Sink.Durable;

/// <summary>
/// The appender decides per line whether it fits; its owner decides what a loss means. Run records are essential:
/// they pass the size bound (they are few and small) and, when the disk itself refuses them, are kept in memory and
/// retried instead of dropped — so a run whose events were dropped still ends with a record saying so.
/// </summary>
internal interface IWriteLossPolicy
{
    /// <summary>True for writes that may exceed the buffer bound and are held in memory on an I/O failure.</summary>
    bool IsEssential(StoreWrite write);

    /// <summary>The write as it is to be stored, given what was dropped so far (a run end carries its run's drops).</summary>
    StoreWrite Prepare(StoreWrite write);

    /// <summary>Called for every write that is lost (already counted in <see cref="SinkCounters.Dropped"/>).</summary>
    void Dropped(StoreWrite write);

    /// <summary>Called for an essential write the disk refused: its owner keeps it and tries again.</summary>
    void Held(StoreWrite write);
}

/// <summary>No essential writes, nothing to track (a buffer used on its own: tests, the benchmark probe).</summary>
internal sealed class NoLossPolicy : IWriteLossPolicy
{
    public static NoLossPolicy Instance { get; } = new();

    public bool IsEssential(StoreWrite write) => false;

    public StoreWrite Prepare(StoreWrite write) => write;

    public void Dropped(StoreWrite write)
    {
    }

    public void Held(StoreWrite write)
    {
    }
}
